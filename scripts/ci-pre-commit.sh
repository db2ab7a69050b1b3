#!/usr/bin/env bash
# Run every pre-commit hook over every file, as a contributor's `pre-commit run -a` would.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f .pre-commit-config.yaml ]; then
  echo "::notice::no .pre-commit-config.yaml yet; ruff and codespell run in the lint job"
  exit 0
fi
echo "=> pre-commit run --all-files"
uv run --frozen pre-commit run --all-files --show-diff-on-failure
