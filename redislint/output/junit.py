"""The `junit` format: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure …).

    <testsuites name="redislint" tests="2" failures="1" errors="1">
      <testsuite name="charts/redis/values.yaml" tests="1" failures="1" errors="0" skipped="0">
        <testcase classname="charts/redis/values.yaml" name="RL203 aof-disabled at 14:7">
          <failure type="RL203" message="error: AOF is disabled …">charts/redis/values.yaml:14:7: …</failure>

One test suite per file with findings, one test case per finding (a `failure` whose type is the
rule code; the severity leads its message). A file that could not be analysed is a test case
with an `error` (the test could not run). Suppressed findings, shown only with `show_suppressed`,
are `skipped`. A run with neither is one passing test case, so a report never reads "0 tests"
when files were checked. The shape validates against the JUnit schema Jenkins reads
(jenkinsci/xunit-plugin `junit-10.xsd`, vendored in tests/schemas): no attributes beyond it (a
finding's place is in the test name and the failure text), no timestamps (deterministic bytes).

Text is made safe as in the other formats: secrets masked, `safe.clean` (and the two
non-characters XML 1.0 forbids), XML-escaped (attribute line breaks as `&#10;`), and the whole
document defused (`safe.defuse`): no line is a GitHub workflow command when the file is printed
in a CI log.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, clean, clean_name, entries, ordered_notifications, summary_line
from redislint.output.assumed import Assumed, for_message

if TYPE_CHECKING:
    from redislint.rules._api import Rule

SUITES_NAME = "redislint"


def _xml(text: str) -> str:
    """Safe text with the characters XML 1.0 cannot hold replaced (U+FFFE, U+FFFF)."""
    return text.replace("\ufffe", safe.REPLACEMENT).replace("\uffff", safe.REPLACEMENT)


def _attr(text: str) -> str:
    return quoteattr(_xml(text))


def _body(text: str) -> str:
    return escape(_xml(text))


def _case(classname: str, name: str, inner: str = "") -> str:
    head = f"    <testcase classname={_attr(classname)} name={_attr(name)}"
    return f"{head}/>" if not inner else f"{head}>\n{inner}\n    </testcase>"


def _suite(name: str, cases: list[str], failures: int, errors: int, skipped: int) -> list[str]:
    return [f"  <testsuite name={_attr(name)} tests=\"{len(cases)}\" failures=\"{failures}\" "
            f"errors=\"{errors}\" skipped=\"{skipped}\">", *cases, "  </testsuite>"]


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as a JUnit XML document."""
    mapper = PathMapper(options.root)
    assumed = Assumed(report)
    suites: list[str] = []
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    notes = [n for n in ordered_notifications(report, mapper) if n.level == "error"]
    for path, unread in groupby(notes, key=lambda n: mapper.display(n.path, follow_links=False) if n.path else "-"):
        shown = clean_name(path)
        cases = []
        for n in unread:
            where = shown + (f":{n.line}" if n.line >= 1 else "")
            message = clean(n.message)
            cases.append(_case(shown, "file not analysed",
                               f"      <error type=\"file-not-analysed\" message={_attr(message)}>"
                               f"{_body(f'{where}: {message}')}</error>"))
        suites += _suite(shown, cases, 0, len(cases), 0)
        totals["tests"] += len(cases)
        totals["errors"] += len(cases)

    for path, found in groupby(entries(report, options, mapper, fingerprints=False), key=lambda e: e.path):
        shown = clean_name(path)
        cases = []
        failed = skipped = 0
        for e in found:
            f, s = e.finding, e.finding.span
            name = f"{clean_name(f.rule)} {clean_name(f.name)} at {s.line}:{s.column}"
            text = [f"{shown}:{s.line}:{s.column}: {f.severity.value} {clean_name(f.rule)} {clean_name(f.name)}",
                    clean(f.message).strip()]
            if f.target:
                text.append(f"target: {clean_name(f.target)}" + (f" ({clean_name(f.role)})" if f.role else "")
                            + (f", profile {clean_name(f.profile)}" if f.profile else ""))
            for r in f.related:
                text.append(f"related: {clean_name(mapper.display(r.span.path))}:{r.span.line}:{r.span.column}: "
                            f"{clean(r.message).strip()}")
            if f.fix.strip():
                text.append("fix: " + clean(f.fix).strip())
            said = for_message(assumed.of(f))
            if said:
                text.append(said)
            body = _body("\n".join(text))
            if e.suppressed:
                skipped += 1
                inner = f"      <skipped message=\"suppressed\">{body}</skipped>"
            else:
                failed += 1
                first = " ".join(clean(f.message).split())
                inner = (f"      <failure type={_attr(f.rule)} message={_attr(f'{f.severity.value}: {first}')}>"
                         f"{body}</failure>")
            cases.append(_case(shown, name, inner))
        suites += _suite(shown, cases, failed, 0, skipped)
        totals["tests"] += len(cases)
        totals["failures"] += failed
        totals["skipped"] += skipped

    if not totals["tests"]:
        summary = summary_line(report)
        suites += _suite(SUITES_NAME, [_case(SUITES_NAME, "no findings",
                                             f"      <system-out>{_body(summary)}</system-out>")], 0, 0, 0)
        totals["tests"] = 1
    head = (f"<testsuites name=\"{SUITES_NAME}\" tests=\"{totals['tests']}\" failures=\"{totals['failures']}\" "
            f"errors=\"{totals['errors']}\">")
    document = "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', head, *suites, "</testsuites>"]) + "\n"
    return safe.defuse(document)
