#!/usr/bin/env bash
# Run redislint once for the composite action: SARIF to a file, annotations (or text) to the log,
# the Markdown summary to the job summary, the exit code as an output.
#
# One analysis writes every output (--output FORMAT=FILE), so the SARIF, the annotations and the
# summary always agree. A SARIF file left by an earlier step is removed first: when redislint stops
# before writing one (exit 2: a usage or configuration error), no stale file is uploaded, the step
# says so, and the documented upload step (`if: hashFiles(...) != ''`) is skipped.
set -uo pipefail
VENV="${REDISLINT_VENV:-${RUNNER_TEMP:-/tmp}/redislint-venv}"
REDISLINT="${REDISLINT:-$VENV/bin/redislint}"
read -r -a PATHS <<< "${INPUT_PATHS:-.}"
read -r -a EXTRA <<< "${INPUT_ARGS:-}"
SARIF="${INPUT_SARIF_FILE:-redislint.sarif}"
CATEGORY="${INPUT_CATEGORY:-redislint}"
ARGS=(check "${PATHS[@]}" --fail-on "${INPUT_FAIL_ON:-error}" --sarif-category "$CATEGORY" --output "sarif=$SARIF")
if [ -n "${INPUT_PROFILE:-}" ]; then ARGS+=(--profile "$INPUT_PROFILE"); fi
if [ -n "${INPUT_BASE:-}" ]; then ARGS+=(--base "$INPUT_BASE"); fi
if [ "${INPUT_ANNOTATIONS:-true}" = "true" ]; then ARGS+=(--output github); else ARGS+=(--output text); fi
SUMMARY=""
if [ "${INPUT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  SUMMARY="$(mktemp "${RUNNER_TEMP:-/tmp}/redislint-summary.XXXXXX")"
  ARGS+=(--output "markdown=$SUMMARY")
fi
ARGS+=(${EXTRA[@]+"${EXTRA[@]}"})  # bash 3.2 (macOS) calls an empty array unbound
rm -f -- "$SARIF"
"$REDISLINT" "${ARGS[@]}"
rc=$?
if [ -s "$SARIF" ]; then
  echo "sarif-file=$SARIF" >> "${GITHUB_OUTPUT:-/dev/null}"
else
  echo "::error title=redislint::redislint stopped before writing the SARIF report (exit $rc; the reason is above), so there is nothing to upload: the upload step is skipped"
fi
if [ -n "$SUMMARY" ]; then
  if [ -s "$SUMMARY" ]; then cat -- "$SUMMARY" >> "$GITHUB_STEP_SUMMARY"; fi
  rm -f -- "$SUMMARY"
fi
{
  echo "exit-code=$rc"
  echo "category=$CATEGORY"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$rc"
