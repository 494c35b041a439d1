#!/usr/bin/env bash
# Install redislint from the action's own checkout into a virtualenv, dependencies pinned.
#
#   action-install.sh --key   print the cache key and the virtualenv's path (KEY=..., VENV=...)
#   action-install.sh         install (reusing a restored virtualenv that already runs this version)
#
# The key covers everything the install depends on: redislint's version and the hash of its sources,
# pyproject.toml and the pinned dependency versions (scripts/action-constraints.txt), and the Python
# that runs it (version and path: a virtualenv points at its interpreter).
set -euo pipefail
ACTION_PATH="${ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
PYTHON="${INPUT_PYTHON:-python3}"
if [ "${RUNNER_OS:-}" = "Windows" ]; then
  echo "::error title=redislint::the redislint action runs on Linux and macOS runners only; check the files in a job with runs-on: ubuntu-latest (the YAML is the same on every platform)"
  exit 2
fi
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "::error title=redislint::no $PYTHON on this runner; add actions/setup-python before this step (Python 3.10 or newer)"
  exit 2
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "::error title=redislint::redislint needs Python 3.10 or newer; $PYTHON is $("$PYTHON" -V 2>&1)"
  exit 2
fi
KEY="$("$PYTHON" - "$ACTION_PATH" <<'PY'
import hashlib, pathlib, platform, sys
root = pathlib.Path(sys.argv[1])
digest = hashlib.sha256()
files = [root / "pyproject.toml", root / "scripts" / "action-constraints.txt"]
files += sorted(p for p in (root / "redislint").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
for path in files:
    digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
version = next(line.split("=", 1)[1].strip().strip('"') for line in (root / "pyproject.toml").read_text().splitlines()
               if line.startswith("version"))
interpreter = hashlib.sha256(sys.executable.encode()).hexdigest()[:8]
print(f"redislint-{version}-{platform.system()}-{platform.machine()}-py{platform.python_version()}-{interpreter}-"
      f"{digest.hexdigest()[:16]}")
PY
)"
VENV="${REDISLINT_VENV:-${RUNNER_TEMP:-/tmp}/redislint-venv}"
if [ "${1:-}" = "--key" ]; then
  echo "key=$KEY"
  echo "venv=$VENV"
  exit 0
fi
STAMP="$VENV/.redislint-key"
if [ -x "$VENV/bin/redislint" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$KEY" ] && "$VENV/bin/redislint" --version >/dev/null 2>&1; then
  echo "redislint: reusing the cached install in $VENV ($KEY)"
else
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -c "$ACTION_PATH/scripts/action-constraints.txt" "$ACTION_PATH"
  echo "$KEY" > "$STAMP"
  echo "redislint: installed $("$VENV/bin/redislint" --version) in $VENV"
fi
echo "$VENV/bin" >> "${GITHUB_PATH:-/dev/null}"
