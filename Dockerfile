# Image of the hello service: `runtime` (the default, last stage) for clusters,
# `dev` for `skaffold dev`, which syncs source files into it and relies on reload.
# Needs BuildKit (Docker 23 or later) for RUN --mount; no `# syntax=` line, so no unpinned
# frontend image is pulled. Ref: https://docs.astral.sh/uv/guides/integration/docker/

# Base and uv images are pinned by version and digest; docs/deployment.md says how to refresh
# them. Split in two ARGs each only to keep lines short; override both together or neither.
ARG PYTHON_TAG=3.11.14-slim-bookworm
ARG PYTHON_DIGEST=sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d
ARG UV_TAG=0.13.0
ARG UV_DIGEST=sha256:cdc6093146eb3ff6a40107b38f008b789e050e77ad87865e381d9917da55a168

FROM ghcr.io/astral-sh/uv:${UV_TAG}@${UV_DIGEST} AS uv

# Locked third-party dependencies only: this layer changes when uv.lock does, not with the source.
FROM python:${PYTHON_TAG}@${PYTHON_DIGEST} AS deps

COPY --from=uv /uv /usr/local/bin/uv

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /app

RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-project --no-editable

# The project itself, installed as a regular (non-editable) package: src/ stays out of runtime.
FROM deps AS builder

COPY pyproject.toml uv.lock README.md ./
COPY src ./src

RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable

# Editable install under /app/src, owned by the runtime user so `skaffold dev` can sync into it.
FROM deps AS dev

COPY --chown=65532:65532 pyproject.toml uv.lock README.md ./
COPY --chown=65532:65532 src ./src

RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HELLO_HOST=0.0.0.0 \
    HELLO_PORT=8000 \
    HELLO_RELOAD=true \
    HELLO_LOG_FORMAT=console

USER 65532:65532
EXPOSE 8000

ENTRYPOINT ["hello"]
CMD ["serve"]

FROM python:${PYTHON_TAG}@${PYTHON_DIGEST} AS runtime

ARG PYTHON_TAG
ARG PYTHON_DIGEST
ARG VERSION=0.0.0+unknown
ARG REVISION=unknown

LABEL org.opencontainers.image.title="hello" \
      org.opencontainers.image.description="Birthday greeting API (Litestar on uvicorn, Redis)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/python:${PYTHON_TAG}" \
      org.opencontainers.image.base.digest="${PYTHON_DIGEST}"

# Bytecode was compiled in the builder; nothing writes .pyc at run time, so the root
# filesystem can be read-only and only /tmp (an emptyDir in the chart) is writable.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HELLO_HOST=0.0.0.0 \
    HELLO_PORT=8000

COPY --from=builder /app/.venv /app/.venv

WORKDIR /app

# Numeric so Kubernetes can verify runAsNonRoot without an /etc/passwd entry.
USER 65532:65532
EXPOSE 8000

# Exec form: `hello` is PID 1 and receives SIGTERM itself.
ENTRYPOINT ["hello"]
CMD ["serve"]
