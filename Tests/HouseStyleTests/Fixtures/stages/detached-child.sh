#!/bin/sh
# Test stage: starts `sleep 30` in a session of its own (out of reach of a kill of the stage's
# process group), which keeps the stage's stdout and stderr open; writes its pid to the file named
# by $1; then answers at once ($2 = answer) or never ($2 = hang).
setsid sleep 30 &
echo $! > "$1"
if [ "$2" = hang ]; then exec sleep 60; fi
cat > /dev/null
echo '{"protocol": 1, "findings": [{"start": 0, "end": 4, "message": "answered"}]}'
