"""What the valkey-io, CloudPirates and groundhog2k chart kinds share: config layers, facts, values keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redislint.charts.config_text import argv_items, synthetic
from redislint.charts.config_text import text_lines as _text_lines
from redislint.charts.synthetic import NOWHERE
from redislint.charts.templating import relabel_problems
from redislint.charts.values_facts import FactReader
from redislint.charts.values_view import Found, ValuesView
from redislint.charts.versions import Version, format_semver
from redislint.facts import Fact
from redislint.model import Span
from redislint.partial import from_values
from redislint.redisconf import RedisVersion, evaluate, lines_from_argv, parse_conf
from redislint.sources import MapNode, ScalarNode, SeqNode
from redislint.target import Target, ValuesIssue

__all__ = [
    "NOWHERE",
    "KeySpec",
    "argv_lines",
    "chart_lines",
    "item_lines",
    "key_issues",
    "memory_facts",
    "retention_deleted",
    "text_lines",
    "truthy",
    "written",
]


def text_lines(view: ValuesView, path: str, version: RedisVersion) -> list:
    """ConfLines of a config string the user wrote at `path` (none when unset)."""
    return _text_lines(view.get(path), path, version)


def chart_lines(text: str, layer: str, version: RedisVersion, where: Span | None = None) -> list:
    """ConfLines the chart's templates or init script write themselves; each points at `where`."""
    return synthetic(text, layer, version, where or NOWHERE)


def item_lines(view: ValuesView, path: str, version: RedisVersion) -> list:
    """ConfLines of a list of config lines (CloudPirates valkey `config.extraConfig`), one per item."""
    found = view.get(path)
    if found is None or not isinstance(found.node, SeqNode):
        return text_lines(view, path, version) if found is not None else []
    out: list = []
    for item in found.node.items:
        if isinstance(item, ScalarNode) and item.value is not None:
            embedded: Any = item.embedded()
            out += relabel_problems(parse_conf(embedded, path, version))
    return out


def argv_lines(view: ValuesView, path: str, version: RedisVersion) -> list:
    """ConfLines of `--name value` words appended to the server's command line (they beat the file)."""
    return relabel_problems(lines_from_argv(argv_items(view.get(path)), path, version))


def truthy(view: ValuesView, path: str, default: bool = False) -> bool:
    """A boolean switch as Helm's `if` reads it."""
    value = view.value(path, default)
    return bool(value) and value not in ("false", "0")


def written(view: ValuesView, path: str) -> bool:
    """True when `path` holds something other than an empty value."""
    found = view.get(path)
    return found is not None and found.value not in (None, "", [], {})


def memory_facts(r: FactReader, path: str = "resources", default_limit: str | None = None,
                 default_request: str | None = None) -> dict[str, Any]:
    """Memory limit and request from a plain `resources` block (these charts have no presets)."""
    limit = r.quantity(f"{path}.limits.memory", default_limit)
    request = r.quantity(f"{path}.requests.memory", default_request)
    block = r.view.get(path)
    if limit.value is None and limit.span is None:
        where = block.key_span if block is not None else None
        limit = Fact(None, where, f"{path} has no limits.memory" if block is not None else f"{path} is not set")
    elif request.value is None and request.span is None and limit.value is not None:
        request = Fact(limit.value, limit.span, f"{path}.limits.memory (requests default to limits)")
    source = "resources" if limit.value is not None else "none"
    return {"memory_limit": limit, "memory_request": request, "memory_limit_source": source}


def retention_deleted(r: FactReader, path: str, gate: str | None = None) -> Fact[bool]:
    """Whether a StatefulSet's persistentVolumeClaimRetentionPolicy deletes the claims with it."""
    if gate is not None and r.view.value(gate) is not True:
        return Fact(False, r.view.anchor(gate), f"{gate} is not true")
    when = r.fact(f"{path}.whenDeleted", "Retain")
    return Fact(when.value == "Delete", when.span, f"{path}.whenDeleted {when.value}")


@dataclass(frozen=True, slots=True)
class KeySpec:
    """The values keys one chart kind reads, as far as redislint judges them.

    Only `closed` blocks have every child listed; elsewhere an unknown key is reported only when it
    is a near miss of a known one (a typo), since these charts add keys often and a false "unknown
    key" would teach people to ignore the rule.
    """

    chart: str
    top: tuple[str, ...]  # top-level keys known (any version)
    closed: dict[str, tuple[str, ...]]  # block -> every child key it has
    # block -> its known children; only near misses are reported
    loose: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: dict[str, Version] = field(default_factory=dict)  # path -> the first release that reads it
    # path -> (the release that stopped reading it, the key to use instead or "", why, in words)
    removed: dict[str, tuple[Version, str, str]] = field(default_factory=dict)


def key_issues(view: ValuesView, spec: KeySpec, version: Version | None, label: str) -> list[ValuesIssue]:
    """RL101 issues: keys the release does not read (typos, keys of other releases), in file order."""
    out: list[ValuesIssue] = []
    for key, (key_node, node, layer) in view.children("").items():
        found = Found(node, key_node, layer)  # type: ignore[arg-type]
        out += _judge(view, spec, version, label, "", key, found)
    out.sort(key=lambda i: (i.span.path, i.span.line, i.span.column))
    return out


def _close(key: str, siblings: tuple[str, ...]) -> str | None:
    """A known sibling spelled nearly like `key` (difflib is imported only for a key nobody knows)."""
    import difflib  # noqa: PLC0415 (only for a key nobody knows: a few ms of imports otherwise)

    return next(iter(difflib.get_close_matches(key, siblings, 1, 0.8)), None)


def _judge(view: ValuesView, spec: KeySpec, version: Version | None, label: str, parent: str, key: str,
           found: Found) -> list[ValuesIssue]:
    path = f"{parent}.{key}" if parent else key
    siblings = spec.top if not parent else spec.closed.get(parent) or spec.loose.get(parent, ())
    gone = spec.removed.get(path)
    if gone is not None and (version is None or version >= gone[0]):
        return [ValuesIssue("RL101", f"{path} is not read by {label}: {gone[2]}", found.key_span, path,
                            f"Use {gone[1]} instead" if gone[1] else "Remove it")]
    if key not in siblings:
        if gone is not None:
            return []  # a key of older releases, and this one is older still: it is read
        closed = parent in spec.closed
        lowered = {s.lower(): s for s in siblings}
        suggestion = lowered.get(key.lower()) or _close(key, siblings)
        if suggestion is None and not closed:
            return []
        message = f"{path} is not a values key of {label}: Helm ignores it"
        fix = "Remove it, or correct the key name"
        if suggestion is not None:
            target = f"{parent}.{suggestion}" if parent else suggestion
            message += f" (did you mean {target}?)"
            fix = f"Rename it to {target}"
        return [ValuesIssue("RL101", message, found.key_span, path, fix)]
    first = spec.since.get(path)
    if first is not None and version is not None and version < first:
        return [ValuesIssue("RL101", f"{path} is not read by {label}: the chart reads it only from "
                            f"{format_semver(first)}", found.key_span, path,
                            f"Upgrade the chart to {format_semver(first)} or later, or remove it")]
    if (path in spec.closed or path in spec.loose) and isinstance(found.node, MapNode):
        out: list[ValuesIssue] = []
        for child, sub in view.keys_under(path):
            out += _judge(view, spec, version, label, path, child, sub)
        return out
    return []


def make_target(rel: Any, versions: Any, *, chart: str, role: str, mode: str, source: Any, facts: Any,
                anchors: list[Span | None], prefix: str = "", unresolved: tuple = (), issues: tuple = (),
                upstream: Any = None) -> Target:
    """One Target of a chart release, with what every kind of chart fills in the same way."""
    base = [a for a in anchors if a is not None] + [s for s in (rel.values_anchor, rel.anchor) if s is not None]
    return Target(path=rel.path, name=rel.name, kind=rel.kind, role=role, chart=chart,
                  chart_version=versions.text, redis_version=versions.redis,
                  assumptions=rel.assumptions + versions.assumptions, mode=mode, source=source,
                  evaluation=evaluate(source, versions.redis), facts=facts, anchor=rel.anchor,
                  config_anchors=tuple(base), values=rel.view, values_prefix=prefix,
                  unresolved=rel.unresolved + tuple(unresolved), annotations=rel.annotations,
                  annotation_spans=rel.annotation_spans, values_anchor=rel.values_anchor,
                  values_issues=tuple(issues), partial=from_values(rel.view), upstream=upstream)


# Rules reviewed against the valkey-io, CloudPirates and groundhog2k kinds (RL411, incident-rules'
# Deployment-with-a-claim rule, reads only `workload_kind`, which these kinds report). A rule not
# listed is "not judged" for them until someone checks it against their templates.
REVIEWED_RULES = frozenset({
    "RL001", "RL002", "RL003", "RL004", "RL010", "RL011", "RL012", "RL013", "RL014", "RL015", "RL016", "RL017",
    "RL018", "RL020", "RL101", "RL102", "RL201", "RL202", "RL203", "RL204", "RL205", "RL206", "RL207", "RL208",
    "RL209", "RL210", "RL211", "RL301", "RL302", "RL303", "RL304", "RL305", "RL306", "RL308", "RL309", "RL401",
    "RL402", "RL404", "RL405", "RL406", "RL411", "RL501", "RL502", "RL601", "RL701", "RL702", "RL801", "RL901",
    "RL902", "RL903",
})
# Left out for every chart kind here, because they model Bitnami's or redis-ha's templates only:
# RL103 (renames between chart majors: key tables of those charts), RL212/RL213/RL214/RL409/RL410
# (where a release keeps its data across a change: claim names of those charts), RL307 (Bitnami's
# resourcesPreset) and RL403 (a Bitnami Deployment whose PVC is never rendered).


def covers(*without: str) -> frozenset[str]:
    """The reviewed rules, less those a kind cannot be judged by (`without`)."""
    return REVIEWED_RULES - frozenset(without)

