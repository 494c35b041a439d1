"""SARIF from real runs (examples, runbook fixtures, a broken file) passes the schema and GitHub's rules."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "output"))
from sarif_validation import multitool_problems, schema_errors

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "examples": [str(ROOT / "examples")],
    "runbook": [str(ROOT / "tests" / "fixtures" / "runbook")],
}

pytestmark = pytest.mark.integration  # Microsoft's SARIF validator on whole runs



@pytest.mark.parametrize("name", sorted(CASES))
def test_real_sarif_is_accepted(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.sarif"
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["check", *CASES[name], "--format", "sarif", "--output", str(out),
                                           "--profile", "critical"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text())
    assert data["runs"][0]["results"], "expected findings"
    assert schema_errors(data) == []
    assert multitool_problems(out, tmp_path) == []


def test_sarif_is_valid_when_an_input_is_broken(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("master:\n  configuration: \"appendonly yes\n")
    (tmp_path / "binary.conf").write_bytes(b"\x00\x01\x02appendonly yes\n")
    out = tmp_path / "broken.sarif"
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", ".", "--format", "sarif", "--output", str(out)])
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(out.read_text())
    invocation = data["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"]
    assert schema_errors(data) == []
    assert multitool_problems(out, tmp_path) == []
