#!/usr/bin/env bash
# Image helpers shared by the review and production workflows (docs/adr/0020).
#
#   scripts/gha-image.sh tree                 # git tree hash of HEAD: the image's identity
#   scripts/gha-image.sh digest REF           # digest REF points at; empty output when absent
#   scripts/gha-image.sh tag REPO DIGEST TAG  # point REPO:TAG at REPO@DIGEST, unchanged digest
#
# Images are tagged `tree-<tree hash>` when built and `tested-<tree hash>` once the review
# environment's contract and load tests passed. A squash merge of an up-to-date pull request
# produces the same tree, so production finds the image that was tested.
set -euo pipefail

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

tree_hash() {
  git rev-parse 'HEAD^{tree}'
}

digest_of() {
  local ref="$1" out err
  err=$(mktemp)
  if out=$(docker buildx imagetools inspect "$ref" --format '{{json .Manifest}}' 2>"$err"); then
    jq -r '.digest' <<<"$out"
  else
    # Absent and unreadable look alike here; a later push or deploy reports auth errors.
    echo "no image at ${ref}: $(head -c 300 "$err")" >&2
  fi
  rm -f "$err"
}

add_tag() {
  local repo="$1" digest="$2" tag="$3" now
  [[ $digest == sha256:* ]] || { echo "not a digest: $digest" >&2; exit 2; }
  now=$(digest_of "${repo}:${tag}" 2>/dev/null)
  if [ "$now" = "$digest" ]; then
    echo "=> ${repo}:${tag} already points at ${digest}"
    return 0
  fi
  # One source that is an index: imagetools makes a carbon copy, so the digest is kept.
  # Immutable tags (docs/cloud-setup.md) refuse to move a tag that points elsewhere.
  docker buildx imagetools create --tag "${repo}:${tag}" "${repo}@${digest}"
  now=$(digest_of "${repo}:${tag}")
  if [ "$now" != "$digest" ]; then
    echo "${repo}:${tag} points at '${now}', expected ${digest}" >&2
    exit 1
  fi
  echo "=> ${repo}:${tag} -> ${digest}"
}

case "${1:-}" in
  tree) tree_hash ;;
  digest) [ $# -eq 2 ] || usage; digest_of "$2" ;;
  tag) [ $# -eq 4 ] || usage; add_tag "$2" "$3" "$4" ;;
  *) usage ;;
esac
