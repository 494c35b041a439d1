"""Which findings rest on which assumptions of their target, and what an uncertain one does to them.

A target carries `Assumption`s (`redislint.target`): the chart version it assumed or inferred, the
Redis version, a values layer it never saw, an umbrella chart's unknown defaults. Each names the
*topics* of the conclusions it weakens; this module says which rules draw conclusions of each topic
(one table, `TOPIC_RULES`), so every finding lists exactly the assumptions it depends on, and the
outputs show them where the finding is shown.

An assumption marked `uncertain` (a default that differs between the chart versions still possible)
caps the findings that depend on it at warning, and their message names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from redislint.model import AssumptionNote, Severity
from redislint.target import (
    CHART,
    CHART_VERSION,
    PARENT_DEFAULTS,
    REDIS_VERSION,
    VALUES_LAYER,
    Assumption,
)

if TYPE_CHECKING:
    from redislint.target import Target

# Topics of conclusions, and the rules that draw them. A rule prefix ("RL2") covers every rule of
# that group, including rules added later.
REDIS_VERSION_TOPIC = "redis-version"  # which directives and values Redis accepts; save semantics (6.2 vs 7.0)
CHART_KEYS = "chart-keys"  # which values keys the chart version reads
MEMORY_DEFAULTS = "memory-defaults"  # the memory limit when the chart's default resourcesPreset applies
CHART_DEFAULTS = "chart-defaults"  # anything the chart fills in when the values say nothing
TOPIC_RULES: dict[str, tuple[str, ...]] = {
    # RL214 compares the RDB formats of the two versions of a change.
    REDIS_VERSION_TOPIC: ("RL010", "RL011", "RL012", "RL013", "RL016", "RL017", "RL020", "RL201", "RL202", "RL214"),
    CHART_KEYS: ("RL101", "RL102", "RL103"),
    # RL402 and RL405 bound the dataset or a memory-backed volume by the limit; RL301 and RL306 only
    # quote it (their verdict holds whatever it is: see UNCAPPED).
    MEMORY_DEFAULTS: ("RL301", "RL302", "RL303", "RL304", "RL306", "RL307", "RL308", "RL402", "RL405"),
    CHART_DEFAULTS: ("RL2", "RL3", "RL4", "RL5", "RL6", "RL7", "RL802", "RL803"),
}
# Rules whose verdict does not change with an uncertain assumption, only the numbers in their message
# and fix: their severity stays, and the message still names the assumption.
UNCAPPED = ("RL301", "RL306")
# An assumption with no topics weakens every conclusion about the target's config and values, but
# not the findings about the inputs themselves or about suppressions.
NOT_ABOUT_THE_TARGET = ("RL001", "RL002", "RL003", "RL9")


def covers(patterns: tuple[str, ...], code: str) -> bool:
    """Whether `code` is one of `patterns` (codes or group prefixes)."""
    return any(code.startswith(p) for p in patterns)


def rule_depends(topics: frozenset[str], code: str) -> bool:
    """Whether a finding of rule `code` rests on an assumption that weakens `topics` (empty: all)."""
    if not topics:
        return not covers(NOT_ABOUT_THE_TARGET, code)
    return any(covers(TOPIC_RULES.get(topic, ()), code) for topic in topics)


def uses_default_preset(target: Target) -> bool:
    """The role's memory limit comes from the chart's default resourcesPreset, not from the values."""
    facts = target.facts
    if not facts.known or facts.resources_preset.values_path is None:
        return False  # the chart has no resourcesPreset (only Bitnami's have)
    preset = facts.resources_preset
    return facts.memory_limit_source != "resources" and not (preset.span is not None and preset.span.path)


def target_assumptions(target) -> tuple[Assumption, ...]:
    """Everything a target's conclusions rest on: its own assumptions and the values layers it never saw."""
    own = tuple(getattr(target, "assumptions", ()))
    unseen = tuple(
        Assumption(VALUES_LAYER, f"{u.unseen_layer} is not among the inputs: the conclusions about this release "
                   "assume it changes none of the values they rely on", u.span, u.unseen_layer)
        for u in getattr(target, "unresolved", ()) if getattr(u, "unseen_layer", ""))
    return own + unseen


def redis_version_assumed(target: Target) -> bool:
    """Whether the target's Redis version was assumed (not given, nor read from the image tag, nor the
    default image of a chart release pinned exactly)."""
    return any(a.kind == REDIS_VERSION or REDIS_VERSION_TOPIC in a.affects for a in target.assumptions)


def shown_assumptions(target) -> tuple[Assumption, ...]:
    """The assumptions that apply to this target (what the outputs list for it).

    A `judging.LightTarget` carries them already worked out (it has no facts to work them out from).
    """
    if not hasattr(target, "facts"):
        return tuple(target.assumptions)
    return tuple(a for a in target_assumptions(target) if _relevant_topics(a, target) is not None)


def report_notes(targets) -> list[AssumptionNote]:
    """One note per deployment and assumption, its roles merged, in file, target and kind order (not
    the order of the command line: their ids must not depend on it)."""
    notes: dict[str, AssumptionNote] = {}
    for t in targets:
        for a in shown_assumptions(t):
            key = assumption_key(t.path, t.name, a)
            prev = notes.get(key)
            if prev is None:
                notes[key] = AssumptionNote(key, a.kind, a.message, t.path, t.name, (t.role,) if t.role else (),
                                            a.span, a.evidence, a.uncertain)
            elif t.role and t.role not in prev.roles:
                notes[key] = prev._replace(roles=prev.roles + (t.role,))
    return sorted(notes.values(), key=lambda n: (n.path, n.target, _KIND_ORDER.get(n.kind, 9), n.key))


_KIND_ORDER = {CHART: 0, CHART_VERSION: 1, REDIS_VERSION: 2, PARENT_DEFAULTS: 3, VALUES_LAYER: 4}


def assumption_key(path: str, name: str, a: Assumption) -> str:
    """A run-unique key for one assumption of one deployment (its roles share it)."""
    return "\x1f".join((path, name, a.kind, a.subject, a.message))


class Dependencies(NamedTuple):
    """The assumptions one finding rests on."""

    keys: tuple[str, ...]
    uncertain: tuple[Assumption, ...]
    capped: bool = True  # an uncertain one caps the finding at warning (not for UNCAPPED rules)


NONE = Dependencies((), ())


class TargetDependencies:
    """For one target: the assumptions each rule's findings rest on (worked out once per rule)."""

    __slots__ = ("_by_rule", "entries", "target")

    def __init__(self, target: Target) -> None:
        self.target = target
        self.entries: list[tuple[str, Assumption, frozenset[str]]] = []
        for a in target_assumptions(target):
            topics = _relevant_topics(a, target)
            if topics is not None:
                self.entries.append((assumption_key(target.path, target.name, a), a, topics))
        self._by_rule: dict[str, Dependencies] = {}

    def of(self, code: str) -> Dependencies:
        """The assumptions a finding of rule `code` about this target rests on."""
        if not self.entries:
            return NONE
        found = self._by_rule.get(code)
        if found is None:
            hits = [(k, a) for k, a, topics in self.entries if rule_depends(topics, code)]
            found = self._by_rule[code] = Dependencies(tuple(k for k, _ in hits),
                                                       tuple(a for _, a in hits if a.uncertain),
                                                       not covers(UNCAPPED, code))
        return found


def _relevant_topics(a: Assumption, target: Target) -> frozenset[str] | None:
    """The topics of `a` that apply to this target (None: none does). The chart's default memory
    limit matters only to a role that uses it."""
    if MEMORY_DEFAULTS not in a.affects or uses_default_preset(target):
        return a.affects
    rest = a.affects - {MEMORY_DEFAULTS}
    return rest or None


def judged(severity: Severity, message: str, deps: Dependencies) -> tuple[Severity, str]:
    """The severity and message of a finding that rests on `deps`: an uncertain assumption caps it
    at warning, and the message says what was assumed."""
    if not deps.uncertain:
        return severity, message
    if severity is Severity.ERROR and deps.capped:
        severity = Severity.WARNING
    named = "; ".join(a.message.rstrip(".") for a in deps.uncertain)
    return severity, f"{message.rstrip()} (this rests on an assumption: {named})"


def version_assumptions(notes: tuple[str, ...] | list[str], kind: str = REDIS_VERSION) -> tuple[Assumption, ...]:
    """Assumptions from plain sentences about versions (redis.conf files, workloads: no chart)."""
    topics = frozenset({REDIS_VERSION_TOPIC}) if kind == REDIS_VERSION else frozenset({CHART_KEYS})
    return tuple(Assumption(kind, n, affects=topics) for n in notes)


__all__ = ["CHART_VERSION", "REDIS_VERSION", "TOPIC_RULES", "Dependencies", "TargetDependencies", "judged",
           "target_assumptions", "version_assumptions"]
