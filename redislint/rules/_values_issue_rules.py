"""Shared check for the values-key rules (RL101, RL102): the issues the chart modules found, judged here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit
from redislint.rules._helpers import at_most

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# Keys whose loss changes how the data is kept: what it is written with, where, in how much memory,
# on how many pods, and whether anyone watches it. An ignored key naming none of them (an update
# strategy, a Service, a label) changes no data, so it is at most a warning in any profile.
_DATA_KEYS = frozenset({
    "architecture", "auth", "commonConfiguration", "config", "configmap", "configuration", "count", "exporter",
    "extraFlags", "kind", "metrics", "persistence", "persistentVolume", "persistentVolumeClaimRetentionPolicy",
    "prometheusRule", "redis", "replicaCount", "replicas", "resources", "resourcesPreset", "sentinel",
    "master", "primary", "replica", "slave", "cluster",
    # Operators' resources: the fields that carry Redis config, storage and replicas.
    "redisConfig", "additionalRedisConfig", "maxMemoryPercentOfLimit", "customConfig", "storage", "command",
})
_MAX_DEPTH = 4


def _empty(node: Any) -> bool:
    """An empty map or list, or null: a key that sets nothing (`resources: {}`), so ignoring it loses nothing."""
    entries = getattr(node, "entries", None)
    if entries is not None:
        return not entries
    items = getattr(node, "items", None)
    if items is not None and not callable(items):
        return not items
    return getattr(node, "value", "") is None


def _keys_below(node: Any, depth: int = 0) -> set[str]:
    """The key names of a values node and its maps, a few levels down, that set something."""
    entries = getattr(node, "entries", None)
    if entries is None or depth > _MAX_DEPTH:
        return set()
    names: set[str] = set()
    for key, value in entries:
        if not _empty(value):
            names.add(str(getattr(key, "value", key)))
            names |= _keys_below(value, depth + 1)
    return names


def _touches_data(target: Target, path: str) -> bool:
    found = target.values.get(path) if target.values is not None else None
    if found is not None and (_empty(found.node) or not _keys_below(found.node)) \
            and getattr(found.node, "entries", None) is not None:
        return False  # a block that sets nothing under its keys (`redisslave: {resources: {}}`) loses nothing
    names = set(path.split(".")) | (_keys_below(found.node) if found is not None else set())
    return bool(names & _DATA_KEYS)


def _held(target: Target, path: str) -> list[str]:
    """The data keys directly inside an ignored block (`redisslave:` swallowing `resources:` by indentation)."""
    found = target.values.get(path) if target.values is not None else None
    entries = getattr(found.node, "entries", None) if found is not None else None
    return [str(getattr(k, "value", k)) for k, v in entries or ()
            if str(getattr(k, "value", k)) in _DATA_KEYS and not _empty(v)]


def _misplaced_resources(target: Target, issue: Any) -> tuple[str, str]:
    """(what the message adds, the fix) for a `resources` block written where the chart never reads it:
    the role's preset applies instead, and moving a block without a memory limit under the role would
    replace the preset with no limit at all."""
    fix = issue.fix
    suggestion = fix.removeprefix("Rename it to ") if fix.startswith("Rename it to ") else ""
    if not suggestion.endswith(".resources") or target.values is None:
        return "", fix
    facts = target.facts
    added = ""
    if facts.known and facts.memory_limit_source.startswith("preset:") and facts.memory_limit.value:
        added = (f"; so resourcesPreset {facts.memory_limit_source.split(':', 1)[1]} applies instead: limit "
                 f"{format_bytes(facts.memory_limit.value)}")
    if target.values.get(f"{issue.subject}.limits.memory") is None:
        fix = (f"Move it under {suggestion} and add limits.memory (at least 2 × the data set): a "
               f"{suggestion} without a memory limit replaces the preset, and the container runs with no limit")
    return added, fix


def values_issue_check(code: str, misplaced_causes: tuple[str, ...] = ()) -> Callable[[Target, Profile], Iterator[Hit]]:
    """A check yielding the target's precomputed values issues with this code; a misplaced `resources` block
    is tagged with `misplaced_causes` (rules/_grouping.py)."""

    def check(target: Target, profile: Profile) -> Iterator[Hit]:
        for issue in target.values_issues:
            if issue.code != code:
                continue
            message, fix = issue.message, issue.fix
            causes: tuple[str, ...] = ()
            if code == "RL101" and issue.subject.split(".")[-1] == "resources":
                added, fix = _misplaced_resources(target, issue)
                message += added
                causes = misplaced_causes if added else ()
            held = _held(target, issue.subject) if code == "RL101" else []
            if held:
                message += f"; it holds {', '.join(held)}, which the chart therefore never reads"
            severity = None if _touches_data(target, issue.subject) else at_most(profile, code, Severity.WARNING)
            yield Hit(message, issue.span, fix, subject=issue.subject, severity=severity, causes=causes)

    return check
