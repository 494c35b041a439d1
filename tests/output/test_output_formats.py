"""GitLab Code Quality, JSON contract, text output, fingerprints and lazy formatter imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from output_fixtures import VALUES, make_report

from redislint.model import Finding, Notification, Report, Severity, Span
from redislint.output import FORMATTERS, OutputOptions, fingerprint


def _moved(f: Finding, lines: int, message: str | None = None) -> Finding:
    s = f.span
    return f._replace(span=Span(s.path, s.line + lines, s.column + 2, s.end_line + lines, s.end_column + 2),
                      message=message or f.message)


# --- GitLab ---------------------------------------------------------------------------------------

def test_gitlab_report(report, rules, options):
    text = FORMATTERS["gitlab"](report, rules, options)
    assert not text.startswith("\ufeff") and text.endswith("\n")
    issues = json.loads(text)
    assert isinstance(issues, list) and len(issues) == len(report.findings)  # no suppressed ones
    first = issues[0]
    assert first["check_name"] == "RL203"
    assert first["severity"] == "major"
    assert first["location"] == {"path": "charts/redis/values.yaml", "lines": {"begin": 9, "end": 9}}
    assert first["description"].startswith("RL203 aof-disabled: AOF is disabled")
    assert "Fix: Set `appendonly yes`" in first["description"]
    assert {i["severity"] for i in issues} == {"major", "minor", "info"}
    for issue in issues:
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)  # identical fingerprints would collapse in the MR widget


def test_gitlab_fingerprint_survives_line_moves(report, rules, options):
    before = {i["check_name"] + i["description"][:30]: i["fingerprint"]
              for i in json.loads(FORMATTERS["gitlab"](report, rules, options))}
    # Ten lines added above everything; numbers in one message change.
    report.findings = [_moved(f, 10) for f in report.findings]
    report.findings[0] = _moved(report.findings[0], 0, report.findings[0].message)
    moved = json.loads(FORMATTERS["gitlab"](report, rules, options))
    after = {i["check_name"] + i["description"][:30]: i["fingerprint"] for i in moved}
    assert before == after
    assert moved[0]["location"]["lines"]["begin"] == 19


def test_gitlab_fingerprint_changes_with_subject(report, rules, options):
    first = json.loads(FORMATTERS["gitlab"](report, rules, options))[0]["fingerprint"]
    report.findings[0] = report.findings[0]._replace(subject="replica.configuration#appendonly")
    assert json.loads(FORMATTERS["gitlab"](report, rules, options))[0]["fingerprint"] != first


# --- fingerprints ---------------------------------------------------------------------------------

def test_fingerprints_ignore_line_and_message_but_not_identity():
    f = make_report().findings[0]
    [a] = fingerprint.compute([f])
    [b] = fingerprint.compute([_moved(f, 25, "AOF is disabled (now with other numbers)")])
    assert a == b
    for change in ({"rule": "RL204"}, {"target": "staging/redis"}, {"role": "replica"}, {"subject": "x"},
                   {"span": Span("other.yaml", 9, 5, 9, 18)}):
        assert fingerprint.compute([f._replace(**change)])[0] != a


def test_fingerprint_occurrence_index_is_positional():
    f = make_report().findings[0]
    g = _moved(f, 3)
    forward = fingerprint.compute([f, g])
    backward = fingerprint.compute([g, f])
    assert forward[0] == backward[1] and forward[1] == backward[0] and forward[0] != forward[1]
    # Both move down together: same fingerprints.
    assert fingerprint.compute([_moved(f, 7), _moved(g, 7)]) == forward


def test_fingerprint_uses_the_mapped_path():
    f = make_report().findings[0]
    a = fingerprint.compute([f], lambda p: "repo/" + p)
    assert a != fingerprint.compute([f]) and len(a[0]) == 64


# --- JSON -----------------------------------------------------------------------------------------

FINDING_KEYS = {"rule", "name", "severity", "message", "fix", "path", "line", "column", "end_line", "end_column",
                "target", "role", "profile", "subject", "related", "fingerprint", "suppressed", "assumptions"}
NOTIFICATION_KEYS = {"kind", "path", "line", "column", "level", "message", "id", "assumption", "target", "roles",
                     "evidence"}


def test_json_contract(report, rules, options):
    text = FORMATTERS["json"](report, rules, options)
    assert text.endswith("}\n") and text.startswith('{\n  "findings"')
    doc = json.loads(text)
    assert set(doc) == {"version", "findings", "summary", "notifications"} and doc["version"] == 2
    assert all(set(f) == FINDING_KEYS for f in doc["findings"])
    assert all(set(r) == {"path", "line", "column", "end_line", "end_column", "message"}
               for f in doc["findings"] for r in f["related"])
    assert doc["summary"] == {"files_read": 4, "targets_checked": 2, "profiles": ["critical", "session"],
                              "findings": {"error": 3, "warning": 3, "note": 1}, "suppressed": 1,
                              "files_skipped": {}}
    assert all(set(n) == NOTIFICATION_KEYS for n in doc["notifications"])
    assert doc["notifications"][0] == {
        "kind": "file", "path": "charts/broken/values.yaml", "line": 3, "column": 7, "level": "error",
        "message": "cannot read file: not valid UTF-8 (byte 0xff)", "id": "", "assumption": "", "target": "",
        "roles": [], "evidence": []}
    first = doc["findings"][0]
    assert (first["path"], first["line"], first["column"], first["end_column"]) == (VALUES, 9, 5, 18)
    assert not any(f["suppressed"] for f in doc["findings"])
    shown = json.loads(FORMATTERS["json"](report, rules, options._replace(show_suppressed=True)))
    assert [f["suppressed"] for f in shown["findings"]].count(True) == 1
    assert shown["summary"] == doc["summary"]


# --- text -----------------------------------------------------------------------------------------

def test_text_output(report, rules, options):
    text = FORMATTERS["text"](report, rules, options)
    assert "\x1b" not in text
    assert "charts/redis/values.yaml (4 findings)" in text
    assert "charts/redis/values.yaml:9:5: error RL203 aof-disabled\n" in text
    assert "    9 |     appendonly no\n      |     ^^^^^^^^^^^^^\n" in text
    assert "  fix: Set `appendonly yes` in master.configuration\n" in text
    assert "  related: clusters/prod/redis-helmrelease.yaml:7:5: profile [critical] chosen by this annotation" in text
    assert "  target: prod/redis (master), profile critical\n" in text
    assert "    10 |     save \"\"\n       |     ^\n" in text  # zero-width span: one caret
    assert "^^^^^^^^^^^^^^^ (to line 4)" in text  # multi-line span
    assert "charts/broken/values.yaml:3:7: error: cannot read file" in text
    assert "(suppressed)" not in text and "maxmemory 1gb leaves no headroom" not in text
    assert text.rstrip("\n").splitlines()[-1] == (
        "4 files read, 2 Redis targets checked, 3 errors, 3 warnings, 1 note, 1 suppressed, "
        "1 file not analysed (profiles critical, session).")
    shown = FORMATTERS["text"](report, rules, options._replace(show_suppressed=True))
    assert "conf/redis.conf:5:1: warning RL401 insufficient-fork-headroom (suppressed)" in shown


def test_text_summary_when_nothing_found(rules, options):
    text = FORMATTERS["text"](Report(files_read=2, profiles=("cache",)), rules, options)
    assert text == "2 files read, 0 Redis targets found, 0 errors, 0 warnings, 0 notes (profile cache).\n"
    text = FORMATTERS["text"](Report(), rules, options)
    assert "0 Redis targets found" in text and "no profile" in text


def test_text_colour_only_when_asked(report, rules, options):
    plain = FORMATTERS["text"](report, rules, options)
    coloured = FORMATTERS["text"](report, rules, options._replace(color=True))
    assert "\x1b[" not in plain and "\x1b[" in coloured
    import re
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_text_neutralises_control_characters(rules, options):
    rep = Report(
        findings=[Finding("RL203", "aof-disabled", Severity.ERROR, "evil \x1b[31mred\x07",
                          Span("a.yaml", 1, 7, 1, 10))],
        texts={"a.yaml": "key: \x1b]0;title\x07 value\n"},
        notifications=[Notification("b.yaml", "bad \x1b[2J byte")],
    )
    text = FORMATTERS["text"](rep, rules, options)
    assert "\x1b" not in text and "\x07" not in text
    assert "evil \ufffd[31mred\ufffd" in text


def test_text_caret_follows_tabs_wide_characters_and_masked_secrets(rules, options):
    line = "\tcmd: --requirepass s3cr3t-pw --appendonly 💾 no"
    start = line.index("--appendonly") + 1
    rep = Report(findings=[Finding("RL203", "aof-disabled", Severity.ERROR, "m",
                                   Span("a.yaml", 1, start, 1, start + len("--appendonly")))],
                 texts={"a.yaml": line + "\n"})
    text = FORMATTERS["text"](rep, rules, options)
    source, marker = [ln for ln in text.splitlines() if " | " in ln]
    assert "s3cr3t-pw" not in text and "****" in source
    col = source.index("--appendonly")
    assert marker.index("^") == col and marker.count("^") == len("--appendonly")


def test_text_long_lines_are_cut_around_the_span(rules, options):
    line = "x: [" + ", ".join(f"item{i}" for i in range(300)) + "]"
    start = line.index("item250") + 1
    rep = Report(findings=[Finding("RL203", "aof-disabled", Severity.ERROR, "m",
                                   Span("a.yaml", 1, start, 1, start + 7))],
                 texts={"a.yaml": line})
    source, marker = [ln for ln in FORMATTERS["text"](rep, rules, options).splitlines() if " | " in ln]
    assert len(source) < 200 and source.split(" | ", 1)[1].startswith("…")
    assert source[marker.index("^"):marker.index("^") + 7] == "item250"


# --- registry and lazy imports --------------------------------------------------------------------

def test_formatter_registry():
    assert sorted(FORMATTERS) == ["concise", "github", "gitlab", "json", "junit", "markdown", "sarif", "text"]
    assert OutputOptions().github_max_annotations == 10 and OutputOptions().automation_id == "redislint/"


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "gitlab"])
def test_only_text_imports_rich(fmt):
    code = (
        "import sys\n"
        "from redislint.model import Report\n"
        "from redislint.output import FORMATTERS, OutputOptions\n"
        f"FORMATTERS[{fmt!r}](Report(), [], OutputOptions())\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('redislint.output.'))\n"
        "print('rich' in sys.modules, loaded)\n"
    )
    import os
    from pathlib import Path

    import redislint

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(redislint.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    module = {"json": "json_"}.get(fmt, fmt)
    expected = sorted(["redislint.output._common", "redislint.output.assumed", "redislint.output.fingerprint",
                       "redislint.output.paths", "redislint.output.safe", f"redislint.output.{module}"])
    assert done.stdout.strip() == f"False {expected}"


def test_for_root_matches_the_reports(report, rules, options):
    prints = fingerprint.for_root(report.findings, options.root)
    in_json = {f["fingerprint"] for f in json.loads(FORMATTERS["json"](report, rules, options))["findings"]}
    assert set(prints) == in_json


def test_information_uri_defaults_to_project_urls(monkeypatch):
    import importlib.metadata
    from email.message import Message

    from redislint.output import project_uri

    meta = Message()
    meta["Project-URL"] = "Changelog, https://example.org/changes"
    meta["Project-URL"] = "Homepage, https://example.org/redislint"
    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: meta)
    project_uri.cache_clear()
    try:
        assert OutputOptions().home_page() == "https://example.org/redislint"
        assert OutputOptions(information_uri="").home_page() == ""
    finally:
        project_uri.cache_clear()
