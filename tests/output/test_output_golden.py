"""Golden files for every format, and byte-for-byte determinism.

Regenerate with `REDISLINT_UPDATE_GOLDEN=1 python -m pytest tests/output`.
"""

from __future__ import annotations

import json
import os
import random

import pytest
from output_fixtures import GOLDEN, make_report, make_rules
from sarif_validation import multitool_problems, schema_errors

from redislint.output import FORMATTERS

UPDATE = os.environ.get("REDISLINT_UPDATE_GOLDEN") == "1"
FILES = {"sarif": "report.sarif", "json": "report.json", "text": "report.txt", "github": "report.github.txt",
         "gitlab": "report.gitlab.json"}


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"missing golden file {path}; run with REDISLINT_UPDATE_GOLDEN=1")
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its golden file (REDISLINT_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_golden(fmt, report, rules, options):
    check_golden(FILES[fmt], FORMATTERS[fmt](report, rules, options))


def test_golden_sarif_is_valid(options, tmp_path):
    """The golden SARIF validates against the official schema and GitHub's Multitool rules."""
    golden = GOLDEN / FILES["sarif"]
    if UPDATE:
        golden.write_text(FORMATTERS["sarif"](make_report(), make_rules(), options), encoding="utf-8")
    document = json.loads(golden.read_text(encoding="utf-8"))
    assert schema_errors(document) == []
    assert multitool_problems(golden, tmp_path) == []


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_same_report_same_bytes(fmt, options):
    """Two equal reports, findings and notifications in different orders, give identical bytes."""
    first = make_report()
    second = make_report()
    rng = random.Random(7)
    rng.shuffle(second.findings)
    second.findings.reverse()
    second.notifications = list(reversed(second.notifications))
    a = FORMATTERS[fmt](first, make_rules(), options)
    b = FORMATTERS[fmt](second, make_rules(), options)
    assert a.encode() == b.encode()
    assert a.endswith("\n")


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_show_suppressed_is_deterministic(fmt, options):
    opts = options._replace(show_suppressed=True)
    assert FORMATTERS[fmt](make_report(), make_rules(), opts) == FORMATTERS[fmt](make_report(), make_rules(), opts)
