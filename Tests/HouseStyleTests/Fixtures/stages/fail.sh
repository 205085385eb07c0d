#!/bin/sh
# Test stage: fails with a message on stderr.
cat >/dev/null
echo "fail.sh: dictionary /nonexistent/words not found" >&2
exit 3
