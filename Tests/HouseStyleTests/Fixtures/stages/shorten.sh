#!/bin/sh
# Test stage: shortens each "aaa" in the prose to "aa", left to right, once per run, so it
# needs several runs to settle ("aaaa" -> "aaa" -> "aa").
python3 -c '
import json, sys
request = json.load(sys.stdin)
data = request["text"].encode("utf-8")
edits = []
for start, end in request["prose"]:
    i = start
    while True:
        i = data.find(b"aaa", i, end)
        if i < 0:
            break
        edits.append({"start": i, "end": i + 3, "replacement": "aa", "reason": "shorter"})
        i += 3
json.dump({"protocol": 1, "edits": edits}, sys.stdout)'
