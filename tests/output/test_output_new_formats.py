"""The formats for CI and terminals added with issue 17: concise, junit, markdown, --statistics, wrapping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from junit_validation import junit_errors

from redislint.model import Report
from redislint.output import FORMATTERS, statistics
from redislint.output.wrap import cells, wrap_line, wrap_text

CONCISE = re.compile(r"^(?P<path>[^\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|note) "
                     r"(?P<code>RL\d{3}) (?P<message>\S.*)$")


def test_concise_is_one_line_per_finding(report, rules, options) -> None:
    out = FORMATTERS["concise"](report, rules, options)
    lines = out.splitlines()
    assert len(lines) == len(report.findings)
    parsed = [CONCISE.match(line) for line in lines]
    assert all(parsed), lines
    # The same places, severities and codes as the findings, in path/line order.
    expected = sorted((f.span.path, f.span.line, f.span.column, f.severity.value, f.rule) for f in report.findings)
    got = [(m["path"], int(m["line"]), int(m["col"]), m["sev"], m["code"]) for m in parsed]
    assert sorted(got) == expected and got == sorted(got, key=lambda g: (g[0], g[1], g[2]))
    # Multi-line messages are folded onto their line.
    assert "expect higher latency" in out and "\n  " not in out


def test_concise_marks_suppressed_only_when_shown(report, rules, options) -> None:
    assert "(suppressed)" not in FORMATTERS["concise"](report, rules, options)
    shown = FORMATTERS["concise"](report, rules, options._replace(show_suppressed=True)).splitlines()
    assert len(shown) == len(report.findings) + len(report.suppressed)
    assert sum(line.endswith("(suppressed)") for line in shown) == len(report.suppressed)


@pytest.mark.parametrize("show_suppressed", [False, True])
def test_junit_validates_against_the_jenkins_schema(report, rules, options, show_suppressed) -> None:
    out = FORMATTERS["junit"](report, rules, options._replace(show_suppressed=show_suppressed))
    assert junit_errors(out) == []
    root = ET.fromstring(out.split("\n", 1)[1])
    cases = list(root.iter("testcase"))
    failures = list(root.iter("failure"))
    errors = list(root.iter("error"))
    skipped = list(root.iter("skipped"))
    assert len(failures) == len(report.findings)
    assert len(errors) == sum(n.level == "error" for n in report.notifications)
    assert len(skipped) == (len(report.suppressed) if show_suppressed else 0)
    assert int(root.get("tests")) == len(cases) == len(failures) + len(errors) + len(skipped)
    assert int(root.get("failures")) == len(failures) and int(root.get("errors")) == len(errors)
    for suite in root.iter("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
    assert {f.get("type") for f in failures} == {f.rule for f in report.findings}


def test_junit_of_a_clean_run_is_one_passing_test(rules, options) -> None:
    out = FORMATTERS["junit"](Report(files_read=2, targets_checked=1, profiles=("cache",)), rules, options)
    assert junit_errors(out) == []
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.get("tests") == "1" and root.get("failures") == "0"
    assert "1 Redis target checked" in out


def test_junit_rejects_what_the_schema_forbids() -> None:
    """The validator is real: an attribute the schema does not have fails it."""
    bad = '<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="t" line="3"/></testsuite></testsuites>'
    assert junit_errors(bad)


def test_markdown_counts_rules_and_lists_the_most_severe_first(report, rules, options) -> None:
    out = FORMATTERS["markdown"](report, rules, options)
    assert out.startswith("## redislint\n")
    counts = report.counts()
    for severity, n in counts.items():
        if n:
            assert re.search(rf"\| \S+ {severity} \| {n} \|", out), severity
    table = out.split("### Findings", 1)[1]
    severities = re.findall(r"^\| \S+ (error|warning|note) \| `RL", table, re.M)
    assert len(severities) == len(report.findings)
    order = {"error": 0, "warning": 1, "note": 2}
    assert severities == sorted(severities, key=order.get)
    assert "### Files not analysed" in out


def test_markdown_caps_the_table(rules, options) -> None:
    from redislint.model import Finding, Severity, Span
    from redislint.output import markdown

    many = [Finding("RL203", "aof-disabled", Severity.ERROR, f"m{i}", Span("a.yaml", i + 1, 1, i + 1, 2))
            for i in range(markdown.TOP_FINDINGS + 7)]
    out = FORMATTERS["markdown"](Report(findings=many, files_read=1, targets_checked=1), rules, options)
    assert f"({markdown.TOP_FINDINGS} most severe of {len(many)})" in out
    assert len(re.findall(r"^\| \S+ error \| `RL203`", out, re.M)) == markdown.TOP_FINDINGS


def test_statistics_count_per_rule_and_severity(report, rules, options) -> None:
    rows = statistics.rows(report)
    assert sum(n for n, *_ in rows) == len(report.findings)
    for n, code, severity, _name in rows:
        assert n == sum(1 for f in report.findings if f.rule == code and f.severity.value == severity)
    assert [n for n, *_ in rows] == sorted((n for n, *_ in rows), reverse=True)
    text = statistics.render(report, rules, options)
    assert text.splitlines()[0].split() == ["count", "rule", "severity", "name"]
    assert f"{len(report.findings)} findings" in text


@pytest.mark.parametrize("width", [40, 80, 120])
def test_wrapping_fits_the_width_at_word_boundaries(width: int) -> None:
    words = ("PVC 2Gi is too small for a 900mb dataset (maxmemory): needs ≥ 3.5Gi; during BGSAVE the data "
             "directory peaks at dump.rdb 900Mi + temp RDB 900Mi 全角の文字 and-a-very-long-unbreakable-"
             "token-" + "x" * 150).split()
    lines = wrap_text("  " + " ".join(words), width, 4)
    assert all(cells(line) <= width for line in lines), lines
    assert all(line.startswith("    ") and not line.startswith("     ") for line in lines[1:])
    # Only the over-long token is cut; every other word is whole, and nothing is lost.
    assert "".join(lines).replace(" ", "") == "".join(words)
    for word in words[:-1]:
        assert any(word in line.split() for line in lines), word


def test_wrapping_keeps_styles_and_short_lines() -> None:
    line = [("  fix: ", "bold green"), ("Raise master.persistence.size to at least 4Gi", None)]
    assert wrap_line(line, 200, 4) == [line]
    wrapped = wrap_line(line, 30, 4)
    assert wrapped[0][0] == ("  ", "bold green") or wrapped[0][0][1] == "bold green"
    assert all(sum(cells(t) for t, _ in part) <= 30 for part in wrapped)


def test_text_wraps_only_when_given_a_width(report, rules, options) -> None:
    plain = FORMATTERS["text"](report, rules, options)
    narrow = FORMATTERS["text"](report, rules, options._replace(width=60))
    assert max(cells(line) for line in narrow.splitlines()) <= 60
    assert max(cells(line) for line in plain.splitlines()) > 60
    # Same characters in the same order: wrapping only changes white space. Source lines are never
    # wrapped (the caret would no longer point at the span) but cut around the span to fit.
    def prose(text: str) -> str:
        return "".join("".join(line.split()) for line in text.splitlines() if not re.match(r" +\d* \| ", line))

    assert prose(narrow) == prose(plain)
    assert any("…" in line for line in narrow.splitlines() if re.match(r" +\d+ \| ", line))
