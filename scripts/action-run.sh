#!/usr/bin/env bash
# Run redislint for the composite action: SARIF to a file, annotations to the log, exit code as output.
set -uo pipefail
VENV="${REDISLINT_VENV:-${RUNNER_TEMP:-/tmp}/redislint-venv}"
REDISLINT="${REDISLINT:-$VENV/bin/redislint}"
read -r -a PATHS <<< "${INPUT_PATHS:-.}"
PROFILE_ARGS=()
if [ -n "${INPUT_PROFILE:-}" ]; then PROFILE_ARGS=(--profile "$INPUT_PROFILE"); fi
SARIF="${INPUT_SARIF_FILE:-redislint.sarif}"
"$REDISLINT" check "${PATHS[@]}" "${PROFILE_ARGS[@]}" --format sarif --output "$SARIF" --fail-on never
sarif_rc=$?
if [ "$sarif_rc" -ge 2 ]; then
  echo "::error title=redislint::redislint could not run (exit $sarif_rc)"
  exit "$sarif_rc"
fi
echo "sarif-file=$SARIF" >> "${GITHUB_OUTPUT:-/dev/null}"
rc=0
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ]; then
  "$REDISLINT" check "${PATHS[@]}" "${PROFILE_ARGS[@]}" --format github --fail-on "${INPUT_FAIL_ON:-error}" || rc=$?
else
  "$REDISLINT" check "${PATHS[@]}" "${PROFILE_ARGS[@]}" --format text --fail-on "${INPUT_FAIL_ON:-error}" || rc=$?
fi
echo "exit-code=$rc" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$rc"
