#!/usr/bin/env bash
# Audit the workflows, composite actions and dependabot.yml with zizmor.
# Online (GH_TOKEN set) it also checks that each pinned SHA belongs to the action's repository;
# without a token it runs offline. Settings live in .github/zizmor.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
if [ -z "${GH_TOKEN:-}" ]; then
  mode=(--offline)
fi
format=plain
if [ -n "${GITHUB_ACTIONS:-}" ]; then
  format=github
fi

echo "=> zizmor (version pinned in uv.lock) ${mode[*]}"
uv run --frozen zizmor "${mode[@]}" --format "$format" .github/
