#!/bin/sh
# Test stage: reports the request it got as one finding's message, so a test can read it.
python3 -c '
import json, sys
request = sys.stdin.read()
json.dump({"protocol": 1, "findings": [{"start": 0, "end": 0, "message": request}]}, sys.stdout)'
