#!/usr/bin/env bash
# Fail when a step left tracked files modified or untracked files behind (gitignored ones are fine).
set -euo pipefail
cd "$(dirname "$0")/.."

dirty=$(git status --porcelain --untracked-files=all)
if [ -n "$dirty" ]; then
  echo "::error::the working tree changed during the job; commit generated files or ignore them"
  echo "$dirty"
  git --no-pager diff --stat
  exit 1
fi
echo "=> working tree clean"
