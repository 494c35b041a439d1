#!/usr/bin/env bash
# Install redislint from the action's own checkout into an isolated virtualenv.
set -euo pipefail
ACTION_PATH="${ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
VENV="${REDISLINT_VENV:-${RUNNER_TEMP:-/tmp}/redislint-venv}"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$ACTION_PATH"
echo "$VENV/bin" >> "${GITHUB_PATH:-/dev/null}"
echo "redislint installed in $VENV"
