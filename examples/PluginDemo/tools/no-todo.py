#!/usr/bin/env python3
"""An external HouseStyle stage: every TODO in the prose is an error finding.

Reads the stage request (JSON) on stdin and writes the response (JSON) on stdout; see
docs/stages.md of HouseStyle. Offsets are UTF-8 byte offsets.
"""
import json
import sys

request = json.load(sys.stdin)
text = request["text"].encode("utf-8")
findings = []
for start, end in request["prose"]:
    offset = text.find(b"TODO", start, end)
    while offset != -1 and offset + 4 <= end:
        findings.append({"start": offset, "end": offset + 4, "level": "error",
                         "message": "unfinished text: TODO", "rule": "no-todo"})
        offset = text.find(b"TODO", offset + 4, end)
json.dump({"protocol": 1, "findings": findings}, sys.stdout)
