#!/usr/bin/env bash
# Audit the workflows, composite actions and dependabot.yml with zizmor.
# Online (GH_TOKEN set) it also checks that each pinned SHA belongs to the action's repository;
# without a token it runs offline. Settings live in .github/zizmor.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

ZIZMOR_VERSION=${ZIZMOR_VERSION:-1.32.0}
mode=()
if [ -z "${GH_TOKEN:-}" ]; then
  mode=(--offline)
fi
format=plain
if [ -n "${GITHUB_ACTIONS:-}" ]; then
  format=github
fi

echo "=> zizmor ${ZIZMOR_VERSION} ${mode[*]}"
uvx --from "zizmor==${ZIZMOR_VERSION}" zizmor "${mode[@]}" --format "$format" .github/
