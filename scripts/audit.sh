#!/usr/bin/env bash
# Audit every locked dependency (runtime and all dev groups) with pip-audit against PyPI's
# advisory data. Fails on a known vulnerability that has a fixed release; lists the ones with
# no fix yet, with the reason they do not fail the build. Exit 1: upgrade something.
# Exit 2: the audit itself could not run (PyPI unreachable, a package PyPI does not know).
# AUDIT_ALLOW_UNREACHABLE=1 turns exit 2 into a loud notice and exit 0: .ci/run sets it because
# its machines reach only a package mirror without PyPI's advisory API; GitHub CI does not.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN=(uv run --frozen)
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# The exact versions of uv.lock, every group, without the project itself (not on PyPI).
uv export --frozen --format requirements-txt --no-hashes --no-emit-project --all-groups \
  --quiet --output-file "$workdir/requirements.txt"

# --no-deps: the file is already the whole resolved set. --strict: a package that cannot be
# looked up fails the audit instead of being skipped, so an empty answer is never a pass.
status=0
"${RUN[@]}" pip-audit --requirement "$workdir/requirements.txt" --no-deps --disable-pip \
  --strict --format json --output "$workdir/audit.json" --progress-spinner off \
  2>"$workdir/stderr.txt" || status=$?

if [ ! -s "$workdir/audit.json" ]; then
  grep -v -e "encouraged to fully hash" -e "pip-compile" "$workdir/stderr.txt" >&2 || true
  echo "audit: pip-audit could not check the dependencies (exit $status); see above" >&2
  if [ "${AUDIT_ALLOW_UNREACHABLE:-0}" = 1 ]; then
    echo "audit: NOT RUN: the advisory data is unreachable here (AUDIT_ALLOW_UNREACHABLE=1)" >&2
    exit 0
  fi
  exit 2
fi

"${RUN[@]}" python - "$workdir/audit.json" <<'PY'
import json
import sys
from pathlib import Path

report = json.loads(Path(sys.argv[1]).read_text())
fixable, unfixed = [], []
for dependency in report["dependencies"]:
    for vuln in dependency.get("vulns", []):
        name = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
        aliases = ", ".join(vuln.get("aliases", []))
        name += f" ({aliases})" if aliases else ""
        if vuln["fix_versions"]:
            fixable.append(f"{name}, fixed in {', '.join(vuln['fix_versions'])}")
        else:
            unfixed.append(name)

audited = len(report["dependencies"])
for line in unfixed:
    print(f"ignored, no fixed release exists yet: {line}")
for line in fixable:
    print(f"VULNERABLE, upgrade: {line}")
if fixable:
    print(f"audit: {len(fixable)} fixable vulnerabilities in {audited} packages", file=sys.stderr)
    sys.exit(1)
print(f"audit: {audited} packages, no known vulnerability with a fix ({len(unfixed)} without)")
PY
