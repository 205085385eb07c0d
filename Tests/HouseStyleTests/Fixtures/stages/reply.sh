#!/bin/sh
# Test stage: reads the request, writes its first argument as the response.
cat >/dev/null
printf '%s' "$1"
