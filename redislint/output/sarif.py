"""The `sarif` format: SARIF 2.1.0 for GitHub code scanning (one run, every rule that ran).

Choices, with the facts behind them (docs/shared reference `sarif-github-precommit.md`):

- Results carry exactly one location: GitHub uses only the first, and rejects the whole upload when a
  result has none. URIs are relative to the root with `uriBaseId: %SRCROOT%` (percent-encoded, `/`,
  no `./`); files outside the root get an absolute `file:` URI instead of `../x`, which GitHub would
  resolve against the repository root and so point at a different file or none.
- `columnKind` is `utf16CodeUnits`, GitHub's own example and what its JavaScript UI counts; columns
  are converted from code points with the file text in `report.texts`.
- Spans are 1-based with an exclusive end column, as in SARIF. A zero-width span (only a start known)
  is written without `endColumn`, which SARIF defines as "to the end of the line", so GitHub
  highlights the rest of the line instead of nothing.
- `message.text` is the finding's message, then `Fix: ...`, then `[text](id)` links to the related
  locations: GitHub renders only `message.text` (first sentence as the title) and the links, and
  ignores `fixes` and `properties`. The fix and the target also go in `properties` for other tools.
- Every `message.text` (results, related locations, notifications) is text GitHub renders: secrets
  masked, unsafe characters replaced (`safe.clean`), and backslashes and square brackets always
  escaped with a backslash (SARIF §3.11.6), so a key spelt `[Click](https://…)` cannot become a live link, with or
  without related locations. Properties keep the true text, JSON-escaped where unsafe (`safe.dumps`).
- `fingerprints["redislint/v1"]` is our line-independent id; no `partialFingerprints`, so
  upload-sarif computes its own content hash (`primaryLocationLineHash`).
- Suppressed findings are left out (GitHub shows suppressed results as open alerts) unless
  `show_suppressed`; then every result has `suppressions` (`[]` when active), as the spec requires.
- Files that could not be read become `toolExecutionNotifications` with their location, and an
  `error` notification sets `executionSuccessful: false`: results may be incomplete.
- What the conclusions rest on (`Report.assumptions`: chart or Redis version assumed or inferred, a
  values layer not seen, an umbrella chart's defaults) are `note` notifications too, one per
  deployment, with `properties` `redislint/assumption` (id `A1` …), `redislint/kind`,
  `redislint/target`, `redislint/roles` and `redislint/evidence`. GitHub ignores notifications, so a
  result that rests on assumptions also says them in `message.text` ("Assumed: …") and lists their
  ids in `properties["redislint/assumptions"]`.
- Deterministic bytes: sorted results, sorted keys, no timestamps, no absolute paths unless a file
  lies outside the root.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redislint.model import AssumptionNote, Finding, Notification, Report, Severity, Span
from redislint.output import OutputOptions, safe
from redislint.output._common import (
    Entry,
    PathMapper,
    SourceLines,
    clean,
    entries,
    masked,
    ordered_notifications,
    rules_by_code,
    sentence,
)
from redislint.output.assumed import Assumed, for_message, text_of, who

if TYPE_CHECKING:
    from redislint.rules._api import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "redislint"
MAX_DESCRIPTION = 1024  # GitHub: shortDescription/fullDescription at most 1024 characters
MAX_TAGS = 10  # GitHub keeps 10 tags per rule (more than 20 rejects the file)
_SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
# Only rules tagged "security" get a security-severity (it turns their alerts into security alerts).
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.NOTE: "2.0"}


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as a SARIF 2.1.0 log with one run."""
    return safe.dumps(build(report, rules, options), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def build(report: Report, rules: Sequence[Rule], options: OutputOptions) -> dict[str, Any]:
    """The SARIF log as a dict (what `render` serialises)."""
    mapper = PathMapper(options.root)
    lines = SourceLines(report.texts)
    shown = entries(report, options, mapper)
    descriptors, index = _driver_rules(report, rules, shown, options)
    assumed = Assumed(report)
    results = [_result(e, index, mapper, lines, options, assumed) for e in shown]

    notifications = [_notification(n, mapper, lines) for n in ordered_notifications(report, mapper)]
    notifications += [_assumption(n, assumed.ids[n.key], mapper, lines) for n in assumed.notes]
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(n.level == "error" for n in report.notifications),
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "version": options.tool_version,
        "rules": descriptors,
    }
    if _SEMVER_RE.match(options.tool_version):
        driver["semanticVersion"] = options.tool_version
    home = options.home_page()
    if home:
        driver["informationUri"] = home

    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": _automation_id(options.automation_id)},
        "invocations": [invocation],
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    profiles = sorted(set(report.profiles))
    if profiles:
        run["properties"] = {"redislint/profiles": profiles}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _automation_id(value: str) -> str:
    # GitHub reads the id as "category/run-id"; without a "/" the category would be empty.
    value = value.strip() or "redislint/"
    return value if "/" in value else value + "/"


def _driver_rules(report: Report, rules: Sequence[Rule], shown: list[Entry],
                  options: OutputOptions) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Descriptors for the rules that ran (registry order), plus any rule a result refers to."""
    known = rules_by_code(rules)
    wanted = set(report.rules_run) | {e.finding.rule for e in shown}
    codes = [r.code for r in known.values() if r.code in wanted]
    # Results of rules missing from the registry still need a descriptor (and a valid ruleIndex).
    extra = sorted(wanted - set(codes))
    descriptors = [_descriptor(known[c], options) for c in codes]
    samples = {e.finding.rule: e.finding for e in reversed(shown)}
    for code in extra:
        descriptors.append(_unknown_descriptor(code, samples.get(code), options))
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    return descriptors, index


def _descriptor(rule: Rule, options: OutputOptions) -> dict[str, Any]:
    doc = rule.doc
    tags = _tags(rule)
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": "very-high",  # rules read the effective config; no guessing
        "problem.severity": _PROBLEM_SEVERITY[rule.default_severity],
    }
    if "security" in tags:
        properties["security-severity"] = _SECURITY_SEVERITY[rule.default_severity]
    descriptor: dict[str, Any] = {
        "id": rule.code,
        # The kebab-case slug, as in every other output and in suppressions; the Multitool's
        # PascalCase advice (SARIF2012) is only a note.
        "name": rule.name,
        "shortDescription": {"text": _limit(sentence(doc.summary))},
        "fullDescription": {"text": _limit(sentence(_plain(doc.what)))},
        "help": {"text": doc.text(), "markdown": doc.markdown()},
        "defaultConfiguration": {"level": rule.default_severity.value},
        "properties": properties,
    }
    help_uri = _help_uri(rule.code, rule.name, options)
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _unknown_descriptor(code: str, sample: Finding | None, options: OutputOptions) -> dict[str, Any]:
    name = sample.name if sample else code.lower()
    level = sample.severity if sample else Severity.WARNING
    text = f"{code} {name}."
    descriptor: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": level.value},
        "properties": {"tags": ["redis"], "precision": "very-high", "problem.severity": _PROBLEM_SEVERITY[level]},
    }
    help_uri = _help_uri(code, name, options)
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _help_uri(code: str, name: str, options: OutputOptions) -> str:
    base = options.home_page().rstrip("/")
    if options.help_uri:
        return options.help_uri.format(code=code, name=name, information_uri=base)
    return f"{base}#{code.lower()}" if base else ""


def _tags(rule: Rule) -> list[str]:
    tags: list[str] = []
    for tag in ("redis", rule.group, *rule.tags):
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def _plain(markdown: str) -> str:
    """The What-it-does text without code fences, on one paragraph-preserving string."""
    return re.sub(r"```[a-z]*\n?", "", markdown).strip()


def _limit(text: str) -> str:
    if len(text) <= MAX_DESCRIPTION:
        return text
    cut = text[:MAX_DESCRIPTION - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_DESCRIPTION // 2 else cut).rstrip() + "…"


def _result(entry: Entry, index: dict[str, int], mapper: PathMapper, lines: SourceLines,
            options: OutputOptions, assumed: Assumed) -> dict[str, Any]:
    f = entry.finding
    related = [
        {
            "id": i,
            "message": {"text": sentence(_escape(clean(r.message))) or "Related location."},
            "physicalLocation": _physical(r.span, mapper, lines),
        }
        for i, r in enumerate(f.related, start=1)
    ]
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": f.severity.value,
        "message": {"text": _message(f, for_message(assumed.of(f)))},
        "locations": [{"physicalLocation": _physical(f.span, mapper, lines)}],
        "fingerprints": {"redislint/v1": entry.fingerprint},
    }
    if related:
        result["relatedLocations"] = related
    properties = {k: v for k, v in (
        ("redislint/fix", masked(f.fix)),
        ("redislint/target", f.target),
        ("redislint/role", f.role),
        ("redislint/profile", f.profile),
        ("redislint/subject", f.subject),
        ("redislint/assumptions", assumed.ids_of(f)),
    ) if v}
    if properties:
        result["properties"] = properties
    if options.show_suppressed:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted"}] if entry.suppressed else []
    return result


def _message(f: Finding, assumptions: str = "") -> str:
    """Message, fix hint, links to the related locations and what was assumed, as GitHub shows
    `message.text`."""
    parts = [sentence(_escape(clean(f.message))) or f"{_escape(clean(f.rule))} {_escape(clean(f.name))}."]
    if f.fix.strip():
        parts.append("Fix: " + sentence(_escape(clean(f.fix))))
    if f.related:
        links = ", ".join(
            f"[{_escape(clean(r.message).strip().rstrip('.')) or 'related location'}]({i})"
            for i, r in enumerate(f.related, start=1)
        )
        parts.append(f"See {links}.")
    if assumptions:
        parts.append(_escape(assumptions))
    return " ".join(parts)


def _escape(text: str) -> str:
    """Literal `\\`, `[` and `]` escaped (SARIF §3.11.6), whether or not the message has links of its own.

    Viewers read `[text](target)` in any plain-text message as a link, and a target may be any URI:
    unescaped, a key or value written `[Click to fix](https://…)` became a live link on GitHub.
    """
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _physical(span: Span, mapper: PathMapper, lines: SourceLines) -> dict[str, Any]:
    uri, relative = mapper.uri(span.path)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    return {"artifactLocation": artifact, "region": _region(span, lines)}


def _region(span: Span, lines: SourceLines) -> dict[str, Any]:
    # GitHub rejects startLine < 1; clamp defensively (spans should never carry line 0).
    start_line = max(span.line, 1)
    end_line = max(span.end_line, start_line)
    start_col = lines.utf16_column(span.path, start_line, max(span.column, 1))
    region: dict[str, Any] = {"startLine": start_line, "startColumn": start_col, "endLine": end_line}
    zero_width = end_line == start_line and span.end_column <= span.column
    if not zero_width:
        region["endColumn"] = max(lines.utf16_column(span.path, end_line, max(span.end_column, 1)), 1)
    return region


def _assumption(note: AssumptionNote, id_: str, mapper: PathMapper, lines: SourceLines) -> dict[str, Any]:
    """One deployment's assumption as a `note` notification, located where it applies."""
    out = _notification(Notification(note.span.path if note.span is not None and note.span.path else note.path,
                                     f"{who(note)}: {text_of(note)}", note.span.line if note.span else 0,
                                     note.span.column if note.span else 0, "note"), mapper, lines, False)
    out["properties"] = {
        "redislint/assumption": id_,
        "redislint/kind": note.kind,
        "redislint/target": note.target,
        "redislint/roles": list(note.roles),
        "redislint/evidence": [clean(e) for e in note.evidence],
    }
    return out


def _notification(n, mapper: PathMapper, lines: SourceLines, as_given: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": n.level if n.level in ("error", "warning", "note", "none") else "error",
        "message": {"text": sentence(_escape(clean(n.message))) or "File could not be analysed."},
    }
    if n.path:
        uri, relative = mapper.uri(n.path, follow_links=not as_given)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if n.line >= 1:
            region: dict[str, Any] = {"startLine": n.line}
            if n.column >= 1:
                region["startColumn"] = lines.utf16_column(n.path, n.line, n.column)
            physical["region"] = region
        out["locations"] = [{"physicalLocation": physical}]
    return out
