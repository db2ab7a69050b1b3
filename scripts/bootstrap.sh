#!/usr/bin/env bash
# Install uv (pinned) when it is missing, then the locked dependencies into .venv.
set -euo pipefail

UV_VERSION="0.13.8"

if ! command -v uv >/dev/null 2>&1; then
  echo "=> uv not found; installing uv ${UV_VERSION} with pip"
  python3 -m pip install --quiet --user "uv==${UV_VERSION}" ||
    python3 -m pip install --quiet "uv==${UV_VERSION}"
  export PATH="${HOME}/.local/bin:${PATH}"
fi

export UV_PYTHON_DOWNLOADS=never
uv sync --frozen --quiet
