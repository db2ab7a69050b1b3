#!/usr/bin/env bash
# Print the manifests the review workflow would deploy for pull request N, without a cluster.
#
#   scripts/review-preview.sh N          (or: make review-preview PR=N)
#
# Same inputs as `skaffold deploy -p review` in review.yml: helm/hello/values-review.yaml,
# release hello in namespace hello-pr-N, ingress host pr-N.<REVIEW_DOMAIN>, and the image
# tagged by the git tree of HEAD. Rendering goes through `make chart-render`.
# Environment: REVIEW_DOMAIN (review.example.com), REVIEW_IMAGE_REPOSITORY
# (registry.example.com/hello; CI uses the ECR or Artifact Registry repository).
set -euo pipefail
cd "$(dirname "$0")/.."

pr=${1:-}
if [[ ! $pr =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 PR_NUMBER (a pull request number, e.g. 42)" >&2
  exit 2
fi
domain=${REVIEW_DOMAIN:-review.example.com}
repository=${REVIEW_IMAGE_REPOSITORY:-registry.example.com/hello}
namespace="hello-pr-${pr}"
host="pr-${pr}.${domain}"
tag="tree-$(scripts/gha-image.sh tree)"

values=$(mktemp "${TMPDIR:-/tmp}/review-values-XXXXXX.yaml")
trap 'rm -f "$values"' EXIT

# values-review.yaml with what skaffold.yaml's review profile sets on top of it.
uv run --frozen python - helm/hello/values-review.yaml "$values" "$repository" "$tag" "$host" <<'PY'
import sys

import yaml

source, target, repository, tag, host = sys.argv[1:]
values = yaml.safe_load(open(source)) or {}
values.setdefault("image", {}).update(repository=repository, tag=tag)
values.setdefault("ingress", {})["host"] = host
with open(target, "w") as out:
    yaml.safe_dump(values, out, sort_keys=False)
PY

echo "# review environment of #${pr}: https://${host}, namespace ${namespace}"
echo "# image ${repository}:${tag} (CI deploys it by digest once built)"
# From the first document on: Make's own `=>` progress lines are not manifests.
make --no-print-directory chart-render VALUES="$values" RELEASE=hello NAMESPACE="$namespace" |
  sed -n '/^---$/,$p'
