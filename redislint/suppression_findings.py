"""Apply suppressions to a run's findings and report the suppressions themselves (RL901–RL903)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from redislint.config import did_you_mean
from redislint.model import Finding, Severity, new_finding
from redislint.rules import find_rule
from redislint.rules._api import Rule
from redislint.suppress import ANNOTATION, Suppression, SuppressionResult, apply, parse_annotation, parse_comments
from redislint.target import Target

if TYPE_CHECKING:
    from redislint.profiles import Profile


def collect(texts: dict[str, str], targets: list[Target], extra: list[Suppression]) -> list[Suppression]:
    """Comments in every file, annotations on every object, and config entries."""
    out: list[Suppression] = []
    for path in sorted(texts):
        out += parse_comments(path, texts[path])
    seen: set[tuple[str, str]] = set()
    for t in targets:
        value = t.annotations.get(ANNOTATION)
        if value and (t.path, t.name) not in seen:
            seen.add((t.path, t.name))
            out.append(parse_annotation(value, t.annotation_spans.get(ANNOTATION, t.anchor), t.name))
    return out + extra


def meta_findings(suppressions: list[Suppression], result: SuppressionResult, ran: set[str],
                  profile_for_path: Callable[[str], Profile], severity_of: Callable[[Rule, Profile], Severity | None]
                  ) -> list[Finding]:
    """RL903 unknown codes, RL901 unused suppressions, RL902 missing reasons."""
    out: list[Finding] = []

    def add(code: str, message: str, s: Suppression, fix: str, subject: str) -> None:
        rule = find_rule(code)
        profile = profile_for_path(s.span.path)
        severity = severity_of(rule, profile) if rule is not None else None
        if rule is None or severity is None or code not in ran:
            return
        out.append(new_finding(rule, severity=severity, message=message, span=s.span, fix=fix, target=s.target,
                               profile=getattr(profile, "name", ""), subject=subject))

    for i, s in enumerate(suppressions):
        for written in s.codes:
            rule = find_rule(written)
            if rule is None:
                hint = did_you_mean(written)
                add("RL903", f"suppression names '{written}', which is not a redislint rule, so it suppresses "
                    f"nothing{hint if hint.startswith(';') else ''}", s,
                    "Use a code or name from `redislint rules`", f"suppression:{written}")
            elif (i, written) not in result.used and rule.code in ran:
                add("RL901", f"suppression of {rule.code} {rule.name} matches no finding", s,
                    f"Remove {written} from this suppression", f"suppression:{rule.code}")
        profile = profile_for_path(s.span.path)
        if not s.reason and getattr(profile, "suppression_reason_required", False):
            add("RL902", f"suppression of {', '.join(s.codes)} gives no reason; profile "
                f"{getattr(profile, 'name', '')} asks for one", s, "Add ' -- why this is safe' after the codes",
                "suppression:reason")
    return out


def suppress(findings: list[Finding], texts: dict[str, str], targets: list[Target], extra: list[Suppression],
             ran: set[str], profile_for_path: Callable[[str], Profile],
             severity_of: Callable[[Rule, Profile], Severity | None]) -> tuple[list[Finding], list[Finding]]:
    """(kept findings including RL901–903, suppressed findings)."""
    suppressions = collect(texts, targets, extra)
    if not suppressions:
        return findings, []
    result = apply(findings, suppressions, find_rule)
    return result.kept + meta_findings(suppressions, result, ran, profile_for_path, severity_of), result.suppressed
