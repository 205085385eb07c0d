#!/bin/sh
# Test stage: never answers.
exec sleep 60
