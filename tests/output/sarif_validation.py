"""Validate a SARIF file against the official schema and Microsoft's SARIF Multitool (GitHub rules).

Both validators are optional on a developer machine (the test skips) and mandatory when `CI=true`
(the test fails), because CI installs them (`.ci/run`).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

# The official OASIS SARIF 2.1.0 schema (errata01), vendored byte for byte from shared/schemas so
# the suite does not depend on a folder outside the repository.
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true")
    pytest.skip(f"{what} not available")


def schema_errors(document: dict) -> list[str]:
    """Draft-04 validation against the vendored OASIS errata01 schema."""
    if not SCHEMA.is_file():
        missing(f"SARIF schema {SCHEMA}")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def _is_multitool(command: list[str]) -> bool:
    try:
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "SARIF Multitool" in done.stdout + done.stderr


def find_multitool() -> tuple[list[str], bool] | None:
    """The Multitool command and whether its arguments must be shell-quoted.

    npm installs it as `sarif-multitool` (not `sarif`, which is also the name of Microsoft's unrelated
    Python `sarif-tools`). That command is a Node wrapper that runs the native binary through a shell
    (`spawnSync(..., {shell: true})`), so an argument such as `Sarif;Ghas` would be split at the `;`:
    prefer the native binary next to it, else quote every argument for the shell.
    """
    for name in ("sarif-multitool", "sarif"):
        exe = shutil.which(name)
        if not exe:
            continue
        real = Path(os.path.realpath(exe))
        if real.suffix == ".js":
            package = real.parent
            for base in (package / "node_modules" / "@microsoft", package.parent):
                for native in sorted(base.glob("sarif-multitool-*/Sarif.Multitool*")):
                    if native.suffix in ("", ".exe") and os.access(native, os.X_OK) and _is_multitool([str(native)]):
                        return [str(native)], False
            if _is_multitool([exe]):
                return [exe], True
        elif _is_multitool([exe]):
            return [exe], False
    return None


def multitool_problems(sarif_file: Path, out_dir: Path) -> list[str]:
    """Errors and warnings the Multitool reports with `--rule-kind "Sarif;Ghas"` (GitHub's rules)."""
    found = find_multitool()
    if found is None:
        missing("Microsoft SARIF Multitool (npm install -g @microsoft/sarif-multitool)")
    command, quote = found
    out_file = out_dir / (sarif_file.stem + ".validation.sarif")
    args = ["validate", "--rule-kind", "Sarif;Ghas", "--level", "Error;Warning", "--log", "ForceOverwrite",
            "--output", str(out_file), str(sarif_file)]
    if quote:
        args = [shlex.quote(a) for a in args]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=300)
    problems = []
    if not out_file.is_file():
        return [f"no output log (exit {done.returncode}): {done.stdout}{done.stderr}"]
    log = json.loads(out_file.read_text(encoding="utf-8-sig"))
    for run in log.get("runs", []):
        texts = {}
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
            for key, value in rule.get("messageStrings", {}).items():
                texts[(rule["id"], key)] = value.get("text", "")
        for result in run.get("results", []):
            if result.get("level", "warning") in ("error", "warning"):
                message = result.get("message", {})
                text = message.get("text") or texts.get((result.get("ruleId"), message.get("id")), "")
                for i, arg in enumerate(message.get("arguments", [])):
                    text = text.replace(f"{{{i}}}", str(arg))
                problems.append(f"{result.get('level')} {result.get('ruleId')}: {text}")
        for invocation in run.get("invocations", []):
            for note in invocation.get("toolExecutionNotifications", []) + invocation.get(
                    "toolConfigurationNotifications", []):
                if note.get("level", "warning") in ("error", "warning"):
                    problems.append(f"tool {note.get('level')}: {note.get('message', {}).get('text')}")
    if done.returncode != 0 and not problems:
        problems.append(f"exit {done.returncode}: {done.stdout}{done.stderr}")
    return problems
