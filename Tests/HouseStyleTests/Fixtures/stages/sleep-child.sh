#!/bin/sh
# Test stage: never answers, and waits on a child of its own (not exec'd), whose pid it writes
# to the file named by its argument.
sleep 60 &
echo $! > "$1"
wait
