"""Fixtures for the formatter tests; the builders live in `output_fixtures.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from output_fixtures import INFO_URI, Rule, make_report, make_rules

from redislint.model import Report
from redislint.output import OutputOptions


@pytest.fixture
def rules() -> list[Rule]:
    return make_rules()


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty directory as cwd and root, so paths in the output are the relative span paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def options(workdir) -> OutputOptions:
    return OutputOptions(root=str(workdir), information_uri=INFO_URI, tool_version="0.1.0",
                         automation_id="redislint/critical/")
