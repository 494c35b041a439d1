"""GitHub workflow-command annotations: escaping, columns, caps and the overflow notice."""

from __future__ import annotations

import pytest

from redislint.model import Finding, Notification, Report, Severity, Span
from redislint.output import FORMATTERS
from redislint.output.github import command, escape_data, escape_property


def github(report, rules, options) -> list[str]:
    return FORMATTERS["github"](report, rules, options).splitlines()


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100%", "100%25", "100%25"),
    ("a\rb", "a%0Db", "a%0Db"),
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("key: value", "key: value", "key%3A value"),
    ("a,b", "a,b", "a%2Cb"),
    ("%0A", "%250A", "%250A"),  # an already-escaped sequence must not decode back to a newline
    ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
])
def test_escaping_matches_actions_toolkit(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_command_shape():
    line = command("error", [("file", "a:b,c.yaml"), ("line", 3), ("col", None), ("title", "RL203 x")],
                   "50% done\nnext: line")
    assert line == "::error file=a%3Ab%2Cc.yaml,line=3,title=RL203 x::50% done%0Anext: line".replace(
        "50% done", "50%25 done")
    assert command("notice", [], "hi") == "::notice::hi"


def test_annotations(report, rules, options):
    lines = github(report, rules, options)
    assert lines[0].startswith("::error file=charts/broken/values.yaml,line=3,")  # unreadable file first
    first = lines[1]
    assert first.startswith(
        "::error file=charts/redis/values.yaml,line=9,endLine=9,col=5,endColumn=18,title=RL203 aof-disabled::")
    assert "%0AFix: Set `appendonly yes` in master.configuration" in first
    assert "%0ARelated: clusters/prod/redis-helmrelease.yaml:7:5: profile [critical] chosen" in first
    commands = [ln.split(" ", 1)[0].split("::")[1] for ln in lines if ln.startswith("::")]
    assert commands == sorted(commands, key=["error", "warning", "notice"].index)  # most severe first
    # UTF-16 columns, as in SARIF
    assert any("line=13,endLine=13,col=12,endColumn=22,title=RL002" in ln for ln in lines)
    # multi-line span: no columns (the toolkit drops them)
    [note] = [ln for ln in lines if ln.startswith("::notice")]
    assert "line=3,endLine=4,title=RL204" in note and "col=" not in note
    # zero-width span: col only
    assert any("line=10,endLine=10,col=5,title=RL101" in ln for ln in lines)
    assert lines[-1].startswith("redislint: 4 files read, 2 Redis targets checked, 3 errors")
    assert not any("suppressed" in ln and ln.startswith("::") for ln in lines)
    assert not any("more not annotated" in ln for ln in lines)


def _many(n_err: int, n_warn: int, n_note: int) -> Report:
    findings = []
    for sev, n in ((Severity.ERROR, n_err), (Severity.WARNING, n_warn), (Severity.NOTE, n_note)):
        for i in range(n):
            findings.append(Finding("RL203", "aof-disabled", sev, f"{sev.value} number {i}",
                                    Span(f"charts/c{i:02d}/values.yaml", i + 1, 1, i + 1, 4)))
    return Report(findings=findings, files_read=3, targets_checked=3, profiles=("cache",))


def test_caps_and_overflow_notice(rules, options):
    lines = github(_many(13, 12, 11), rules, options)
    annotations = [ln for ln in lines if ln.startswith("::")]
    count = {c: sum(ln.startswith(f"::{c} ") for ln in annotations) for c in ("error", "warning", "notice")}
    # 10 errors, 10 warnings, 9 notes + the overflow notice: every kind stays within GitHub's 10
    assert count == {"error": 10, "warning": 10, "notice": 10}
    closing = annotations[-1]
    assert closing.startswith("::notice title=redislint%3A more findings than annotations::")
    assert "7 findings (3 errors, 2 warnings, 2 notes) not shown as annotations" in closing
    assert "--format sarif" in closing and "--format text" in closing
    # the hidden ones are in the log as plain lines, none of them a workflow command
    hidden = [ln for ln in lines if ln.startswith("charts/")]
    assert [ln.split(": ", 2)[1] for ln in hidden] == ["error RL203 aof-disabled"] * 3 + [
        "warning RL203 aof-disabled"] * 2 + ["note RL203 aof-disabled"] * 2
    # most severe first: the 10 shown errors are errors 0..9
    assert "error number 9" in annotations[9] and "error number 10" not in "".join(annotations)
    assert sum(ln.startswith("::") for ln in lines) <= 50  # GitHub's per-job cap


def test_no_overflow_line_when_everything_fits(rules, options):
    lines = github(_many(10, 10, 10), rules, options)
    annotations = [ln for ln in lines if ln.startswith("::")]
    assert len(annotations) == 30
    assert not any("more findings than annotations" in ln for ln in lines)


def test_cap_option(rules, options):
    lines = github(_many(3, 0, 0), rules, options._replace(github_max_annotations=2))
    assert sum(ln.startswith("::error ") for ln in lines) == 2
    assert "1 finding (1 error) not shown" in lines[-2]


def test_messages_cannot_inject_commands(rules, options):
    rep = Report(findings=[Finding("RL203", "aof-disabled", Severity.ERROR,
                                   "bad\n::add-mask::x\r\n::error::fake", Span("a.yaml", 1, 1, 1, 2))])
    lines = github(rep, rules, options._replace(github_max_annotations=0))
    assert [ln for ln in lines if ln.startswith("::")] == [lines[-2]]  # only our overflow notice
    # The plain overflow line is escaped like a command's message: one line, its breaks visible.
    assert lines[1].endswith("aof-disabled: bad%0A::add-mask::x%0A::error::fake")
    lines = github(rep, rules, options)
    assert lines[0].endswith("::bad%0A::add-mask::x%0A::error::fake")  # CRLF is one line break
    assert len(lines) == 2


def test_paths_outside_root_are_not_file_annotations(rules, options, tmp_path_factory):
    outside = tmp_path_factory.mktemp("other") / "values.yaml"
    rep = Report(findings=[Finding("RL203", "aof-disabled", Severity.ERROR, "msg", Span(str(outside), 4, 2, 4, 3))],
                 notifications=[Notification(str(outside), "unreadable", 2)])
    lines = github(rep, rules, options)
    assert all("file=" not in ln for ln in lines)
    assert any(ln.endswith(f"::{outside.as_posix()}:4:2: msg") for ln in lines)
