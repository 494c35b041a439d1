"""Values keys that have no effect: unknown to the chart version (RL101) or ignored in its mode (RL102).

Helm accepts any key; Bitnami's values.schema.json has no `additionalProperties: false`. So a typo
(`persistance`), a key of another chart major (`cluster.enabled` on 14+, `master.*` on valkey 2+)
or a role block the chosen architecture never reads (`replica.*` with `architecture: standalone`)
is dropped without a word, and the reviewer believes it is in force.

The key tables are `redislint/data/charts/*-values.tsv` (see docs there): a path is known for
chart major N when its row says `yes` or `tpl` in `vN`, or its range `first_version` ..
`removed_in` covers the exact release; nothing under a freeform map (labels, `resources`,
`affinity` …) is judged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from redislint.charts.values_view import Found, ValuesView
from redislint.charts.versions import Version, format_semver, parse_semver, releases
from redislint.sources import MapNode, ScalarNode, SeqNode
from redislint.target import ValuesIssue

ROLE_BLOCKS = ("master", "primary", "replica", "slave")
# Role children whose loss changes what runs: config, storage, memory, pod count, start command.
MATTERING = frozenset({
    "configuration", "configmap", "extraFlags", "disableCommands", "persistence", "resources",
    "resourcesPreset", "count", "replicaCount", "kind", "persistentVolumeClaimRetentionPolicy",
    "command", "args", "preExecCmds", "podSecurityContext", "containerSecurityContext",
})
SENTINEL_MATTERING = frozenset({
    "configuration", "extraFlags", "persistence", "resources", "resourcesPreset", "quorum", "masterSet",
    "primarySet", "downAfterMilliseconds", "failoverTimeout", "persistentVolumeClaimRetentionPolicy",
})
# Kinds of renamed-keys.tsv rows that mean "the old key no longer does anything".
_GONE = frozenset({"renamed", "renamed-prefix", "moved", "split", "replaced", "removed"})
# bitnami/redis 11.0.0 – 16.2.0: sentinel nodes still included master.conf on the node that started
# as master (bitnami/charts#8781 removed that in 16.2.1).
_SENTINEL_ROLE_CONF_UNTIL = (16, 2, 1)
_CONFIG_CHILDREN = frozenset({"configuration", "configmap", "disableCommands", "extraFlags"})


class KeyRow(NamedTuple):
    """One values key of a chart, with the majors and releases that read it."""

    path: str
    type: str
    default: str
    majors: dict[int, str]  # major -> "yes" | "tpl" | ""
    first: Version | None
    removed_in: Version | None
    freeform: bool


class Rename(NamedTuple):
    """A row of renamed-keys.tsv."""

    old: str
    new: str
    changed_in: Version
    change: str


@dataclass(frozen=True, slots=True)
class KeyTable:
    """Every key path of one chart, across its majors."""

    chart: str
    rows: dict[str, KeyRow]
    majors: tuple[int, ...]
    children: dict[str, tuple[str, ...]]  # parent path ("" for the root) -> child names
    renames: tuple[Rename, ...]
    oldest: Version | None  # the first release the table covers
    # known_children per (parent, version): asked for every map a values file writes.
    _children_memo: dict = field(default_factory=dict, compare=False, repr=False)
    _known_memo: dict = field(default_factory=dict, compare=False, repr=False)

    def row(self, path: str) -> KeyRow | None:
        """The row of a dotted path."""
        return self.rows.get(path)

    def column(self, version: Version) -> int | None:
        """The major column that describes `version` (the newest one for later majors)."""
        if not self.majors or version[0] < self.majors[0]:
            return None
        return version[0] if version[0] in self.majors else self.majors[-1]

    def known(self, path: str, version: Version) -> bool:
        """Whether release `version` declares or reads `path`."""
        memo_key = (path, version)
        hit = self._known_memo.get(memo_key)
        if hit is None:
            hit = self._known_memo[memo_key] = self._known(path, version)
        return hit

    def _known(self, path: str, version: Version) -> bool:
        row = self.rows.get(path)
        if row is None:
            return False
        major = self.column(version)
        in_range = (row.first is not None and row.first <= version
                    and (row.removed_in is None or version < row.removed_in))
        if major is not None and row.majors.get(major) in ("yes", "tpl"):
            # Added later in the same major (master.resourcesPreset from 18.14.0)?
            if row.first is not None and row.first > version and row.first != self.oldest \
                    and row.first[0] == version[0]:
                return False
            return True
        return in_range

    def releases_knowing(self, path: str, versions: tuple[Version, ...]) -> frozenset[Version]:
        """Which of `versions` declare or read `path` (worked out for each, not remembered: the
        chart-version inference asks this for every release)."""
        return frozenset(v for v in versions if self._known(path, v))

    def known_majors(self, path: str) -> list[int]:
        """Majors whose last release has `path`."""
        row = self.rows.get(path)
        return [m for m in self.majors if row is not None and row.majors.get(m) in ("yes", "tpl")]

    def known_children(self, parent: str, version: Version) -> list[str]:
        """Child names of `parent` that `version` knows."""
        memo_key = (parent, version)
        found = self._children_memo.get(memo_key)
        if found is None:
            found = self._children_memo[memo_key] = tuple(
                c for c in self.children.get(parent, ()) if self.known(_join(parent, c), version))
        return list(found)


def _join(parent: str, child: str) -> str:
    return f"{parent}.{child}" if parent else child


def _version(text: str) -> Version | None:
    return parse_semver(text) if text else None


@cache
def key_table(chart: str) -> KeyTable | None:
    """The key table of a chart (None for charts without one): `data/charts/<kind id, / as ->-values.tsv`."""
    table = resources.files("redislint").joinpath(f"data/charts/{chart.replace('/', '-')}-values.tsv")
    if not chart or not table.is_file():
        return None
    data = table.read_text("utf-8")
    lines = data.splitlines()
    header = lines[0].split("\t")
    col = {h: i for i, h in enumerate(header)}
    major_cols = [(int(h[1:]), i) for i, h in enumerate(header) if h[:1] == "v" and h[1:].isdigit()]
    rows: dict[str, KeyRow] = {}
    children: dict[str, list[str]] = {}
    oldest: Version | None = None
    # Loaded on the first check of every run: plain locals, and each distinct version text parsed once.
    versions: dict[str, Version | None] = {}
    majors = [m for m, _ in major_cols]
    major_at = [i for _, i in major_cols]
    type_at, default_at = col["type"], col["default"]
    first_at, removed_at, freeform_at = col["first_version"], col["removed_in"], col["freeform_kind"]
    width = len(header)
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        path = cells[0]
        first_text, removed_text = cells[first_at], cells[removed_at]
        if first_text not in versions:
            versions[first_text] = _version(first_text)
        if removed_text not in versions:
            versions[removed_text] = _version(removed_text)
        first = versions[first_text]
        if first is not None and (oldest is None or first < oldest):
            oldest = first
        rows[path] = KeyRow(path, cells[type_at], cells[default_at], dict(zip(majors, [cells[i] for i in major_at], strict=True)),
                            first, versions[removed_text],
                            bool(cells[freeform_at]) or cells[type_at] == "freeform-map")
        parent, _, leaf = path.rpartition(".")
        if "[]" not in path:
            children.setdefault(parent, []).append(leaf)
    return KeyTable(chart, rows, tuple(m for m, _ in major_cols), {k: tuple(v) for k, v in children.items()},
                    _renames(chart), oldest)


def _renames(chart: str) -> tuple[Rename, ...]:
    data = resources.files("redislint").joinpath("data/charts/renamed-keys.tsv").read_text("utf-8")
    out = []
    for line in data.splitlines()[1:]:
        cells = line.split("\t")
        changed = _version(cells[3])
        if cells[0] == chart and changed is not None:
            out.append(Rename(cells[1], cells[2], changed, cells[4]))
    return tuple(out)


def _as_version(chart_version: Any) -> Version | None:
    if isinstance(chart_version, tuple) and len(chart_version) == 3:
        return (int(chart_version[0]), int(chart_version[1]), int(chart_version[2]))
    if isinstance(chart_version, str):
        return parse_semver(chart_version)
    return None


def _major_ranges(majors: list[int]) -> str:
    """[10, 11, 12, 13] -> "10.x–13.x"; [14, 16] -> "14.x, 16.x"."""
    runs: list[list[int]] = []
    for m in majors:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(f"{r[0]}.x" if len(r) == 1 else f"{r[0]}.x–{r[-1]}.x" for r in runs)


def _inert(value: Any) -> bool:
    """Values that switch something off or leave it empty: ignoring them misleads nobody."""
    if isinstance(value, dict):
        return all(_inert(v) for v in value.values())
    return value in (None, False, 0, "", [], {})


def _is_default(table: KeyTable, path: str, value: Any) -> bool:
    row = table.row(path)
    if row is None or not row.default:
        return False
    try:
        return bool(json.loads(row.default) == value)
    except ValueError:
        return False


def _harmless(table: KeyTable, path: str, found: Found) -> bool:
    """The value switches something off or restates the chart default, leaf by leaf."""
    return _harmless_value(table, path, found.value)


def _harmless_value(table: KeyTable, path: str, value: Any) -> bool:
    if _inert(value) or _is_default(table, path, value):
        return True
    if isinstance(value, dict):
        return all(_harmless_value(table, f"{path}.{k}", v) for k, v in value.items())
    return False


class _Context(NamedTuple):
    view: ValuesView
    chart: str
    table: KeyTable
    version: Version
    label: str  # "bitnami/redis 20.0.3"
    mode: str
    prefixes: tuple[str, ...]
    subchart: bool  # the values sit under an alias (redis:) of an umbrella chart


def values_key_issues(view: ValuesView, chart: str, chart_version: Any, mode: str,
                      prefixes: Any) -> list[ValuesIssue]:
    """RL101 and RL102 issues of one release's values, in file order.

    `chart_version` is the resolved release (a version tuple or text; None means the newest known),
    `mode` is standalone, replication or sentinel, and `prefixes` the role blocks the chart's
    workloads read (("master", "replica"), ("replica",) in sentinel mode …).
    """
    table = key_table(chart)
    if table is None or not table.majors:
        return []
    version = _as_version(chart_version)
    if version is None:
        known = releases(chart)
        version = known[-1].version if known else (table.majors[-1], 0, 0)
    if table.column(version) is None:
        return []  # older than anything the table covers (stable/redis before 10.x)
    label = f"{chart} {format_semver(version)}" if chart_version is not None else f"{chart} (newest)"
    subchart = any(layer.prefix for layer in view.layers)
    ctx = _Context(view, chart, table, version, label, mode, tuple(prefixes), subchart)
    issues: list[ValuesIssue] = []
    skip: set[str] = set()
    issues += _role_block_issues(ctx, skip)
    issues += _mode_issues(ctx)
    issues += list(_unknown_keys(ctx, "", skip))
    issues.sort(key=lambda i: (i.span.path, i.span.line, i.span.column, i.code))
    return issues


# --------------------------------------------------------------------------------------------
# RL102: role blocks of another major, and blocks the mode does not read


def _role_renames(ctx: _Context) -> dict[str, Rename]:
    """Role blocks renamed between majors: {block the user wrote: the rename}, both directions."""
    return dict(_release_role_renames(ctx.chart, ctx.version))


@lru_cache(maxsize=256)
def _release_role_renames(chart: str, version: Version) -> tuple[tuple[str, Rename], ...]:
    """`_role_renames` of one chart release, worked out once (asked three times per release)."""
    table = key_table(chart)
    assert table is not None
    out: dict[str, Rename] = {}
    for r in table.renames:
        if r.change == "renamed-prefix" and r.old in ROLE_BLOCKS and r.new in ROLE_BLOCKS:
            if version >= r.changed_in:
                out[r.old] = r
            else:
                out[r.new] = r
    return tuple(out.items())


def _children_list(found: Found, prefix: str) -> list[str]:
    node = found.node
    if not isinstance(node, MapNode):
        return []
    names = [str(k.text) for k, _ in node.entries if isinstance(k, ScalarNode)]
    ordered = [n for n in names if n in MATTERING] + [n for n in names if n not in MATTERING]
    return [f"{prefix}.{n}" for n in ordered]


def _role_block_issues(ctx: _Context, skip: set[str]) -> list[ValuesIssue]:
    out = []
    top = ctx.view.children("")
    for block, rename in _role_renames(ctx).items():
        written = top.get(block)
        if written is None:
            continue
        key_node, node, layer = written
        found = Found(node, key_node, layer)  # type: ignore[arg-type]
        skip.add(block)  # RL101 does not look inside: the block is dead as a whole
        if _inert(found.value):
            continue
        children = _children_list(found, block)
        shown = ", ".join(children[:3]) + (" …" if len(children) > 3 else "")
        what = f" ({shown} included)" if shown else ""
        if block == rename.old:
            message = (f"{block} has no effect in {ctx.label}: {format_semver(rename.changed_in)} renamed every "
                       f"{block}.* key to {rename.new}.*, so this whole block is ignored{what}")
            fix = f"Rename {block}: to {rename.new}:"
        else:
            message = (f"{block} has no effect in {ctx.label}: {block}.* is read only from "
                       f"{format_semver(rename.changed_in)}; this release reads {rename.old}.*, so this whole "
                       f"block is ignored{what}")
            fix = f"Rename {block}: to {rename.old}:, or upgrade the chart to {format_semver(rename.changed_in)}"
        out.append(ValuesIssue("RL102", message, found.key_span, block, fix))
    return out


def _current_roles(ctx: _Context) -> tuple[str, ...]:
    """The role blocks this release reads (asked twice per release)."""
    return _release_roles(ctx.chart, ctx.version)


@lru_cache(maxsize=256)
def _release_roles(chart: str, version: Version) -> tuple[str, ...]:
    """`_current_roles` of one chart release, worked out once."""
    table = key_table(chart)
    assert table is not None
    renamed = dict(_release_role_renames(chart, version))
    return tuple(b for b in ROLE_BLOCKS if b not in renamed and table.known(b, version))


def _mode_issues(ctx: _Context) -> list[ValuesIssue]:
    out: list[ValuesIssue] = []
    replica_prefix = next((p for p in ("replica", "slave") if p in _current_roles(ctx)), "replica")
    for block in _current_roles(ctx):
        if block in ctx.prefixes:
            continue
        for child, found in ctx.view.keys_under(block):
            path = f"{block}.{child}"
            if child not in MATTERING or not ctx.table.known(path, ctx.version) or _harmless(ctx.table, path, found):
                continue
            if ctx.mode == "sentinel":
                if child in _CONFIG_CHILDREN and ctx.chart == "bitnami/redis" \
                        and ctx.version < _SENTINEL_ROLE_CONF_UNTIL:
                    continue  # still read by the node that starts as master
                target = f"{replica_prefix}.{child}"
                known = ctx.table.known(target, ctx.version)
                message = (f"{path} has no effect in sentinel mode: every Redis node runs from "
                           f"{replica_prefix}.* (the {block} workload is not rendered)")
                fix = f"Move it to {target}" if known else "Remove it"
            else:
                if ctx.table.known("architecture", ctx.version):
                    setting, other = f"architecture {ctx.mode}", "architecture: replication"
                else:
                    setting, other = "cluster.enabled false", "cluster.enabled: true"
                message = f"{path} has no effect with {setting}: the chart runs no {block} pods"
                fix = f"Remove it, or set {other} to run {block} pods"
            out.append(ValuesIssue("RL102", message, found.key_span, path, fix))
    if ctx.mode != "sentinel" and ctx.table.known("sentinel", ctx.version):
        out += _sentinel_issues(ctx)
    return out


def _sentinel_issues(ctx: _Context) -> list[ValuesIssue]:
    """sentinel.* settings written while sentinel is off (an explicit `enabled: false` is a choice)."""
    enabled = ctx.view.get("sentinel.enabled")
    if enabled is not None and enabled.value is False:
        return []
    if enabled is not None and enabled.value is True:
        if not ctx.table.known("architecture", ctx.version):
            return []  # pre-14 charts: cluster.enabled false with sentinel is not modelled
        # templates/_helpers.tpl redis.validateValues.architecture fails the render.
        return [ValuesIssue("RL102", f"sentinel.enabled is true with architecture {ctx.mode}: {ctx.chart} runs "
                            "sentinel only with architecture replication, and its values validation makes Helm "
                            "refuse to render this release", enabled.key_span, "sentinel.enabled",
                            "Set architecture: replication, or set sentinel.enabled: false")]
    why = "sentinel.enabled is false by default"
    fix = "Set sentinel.enabled: true (with architecture: replication), or remove it"
    out = []
    for child, found in ctx.view.keys_under("sentinel"):
        path = f"sentinel.{child}"
        if child not in SENTINEL_MATTERING or not ctx.table.known(path, ctx.version) \
                or _harmless(ctx.table, path, found):
            continue
        out.append(ValuesIssue("RL102", f"{path} has no effect: {why}, so no sentinel runs", found.key_span,
                               path, fix))
    return out


# --------------------------------------------------------------------------------------------
# RL101: keys the release does not read at all


def _unknown_keys(ctx: _Context, parent: str, skip: set[str]) -> Iterator[ValuesIssue]:
    """RL101 issues of the keys written under `parent`, and below the maps the release reads."""
    # `children`, not `keys_under`: most keys are known leaves, and only a finding needs a Found.
    for key, (key_node, node, layer) in ctx.view.children(parent).items():
        path = _join(parent, key)
        if not parent and (key == "global" or (key == "enabled" and ctx.subchart)):
            # global is shared with every subchart of an umbrella chart; `<alias>.enabled` is the
            # parent chart's dependency condition. Neither is ours to judge.
            continue
        if path in skip:
            continue
        if "." in key:
            yield _dotted_key_issue(ctx, parent, key, Found(node, key_node, layer))  # type: ignore[arg-type]
            continue
        verdict = _verdict(ctx, path)
        if verdict == _MAP and isinstance(node, MapNode):
            yield from _unknown_keys(ctx, path, skip)
        elif verdict == _UNKNOWN:
            yield _unknown_issue(ctx, parent, key, Found(node, key_node, layer))  # type: ignore[arg-type]


# What RL101 makes of a key path in one chart release: a key it does not read (reported), a known
# key with nothing below it to judge, or a known map whose children are judged in turn.
_UNKNOWN, _LEAF, _MAP = 0, 1, 2
_CACHED_PATH_CHARS = 200  # longer (made-up) paths are judged every time and never kept


def _verdict(ctx: _Context, path: str) -> int:
    """The verdict on `path`; remembered per release, as every values file repeats the chart's keys."""
    if len(path) <= _CACHED_PATH_CHARS:
        return _cached_verdict(ctx.chart, ctx.version, path)
    return _path_verdict(ctx.table, ctx.version, path)


def _path_verdict(table: KeyTable, version: Version, path: str) -> int:
    """Unknown, leaf or map (a map only when the table lists children this release knows)."""
    row = table.row(path)
    if row is None or not table.known(path, version):
        return _UNKNOWN
    if row.freeform or row.type != "map":
        return _LEAF  # freeform children, or a type mismatch (not this rule's business)
    if not table.known_children(path, version):
        return _LEAF  # a map whose children the table does not list: treat as freeform
    return _MAP


@lru_cache(maxsize=8192)
def _cached_verdict(chart: str, version: Version, path: str) -> int:
    """`_path_verdict` of the chart's own key table."""
    table = key_table(chart)
    assert table is not None
    return _path_verdict(table, version, path)


def _dotted_key_issue(ctx: _Context, parent: str, key: str, found: Found) -> ValuesIssue:
    path = _join(parent, key)
    if ctx.table.known(path, ctx.version):
        message = (f"'{key}' is one key with dots in its name: Helm does not split it, so {path} is not set "
                   "and the chart default applies")
    else:
        message = f"'{key}' is one key with dots in its name: Helm does not split it, and {ctx.label} has no such key"
    return ValuesIssue("RL101", message, found.key_span, path, "Write the path as nested keys, one level per line")


def _unknown_issue(ctx: _Context, parent: str, key: str, found: Found) -> ValuesIssue:
    path = _join(parent, key)
    rename = _rename_for(ctx, path)
    row = ctx.table.row(path)
    # A block: deleting only its key line would hang the lines under it on the key above.
    what = "it with the lines indented under it" if isinstance(found.node, MapNode | SeqNode) else "it"
    fix = f"Remove {what}, or correct the key name"
    may_suggest = False  # only when nothing more specific explains the key
    if rename is not None and rename[0]:
        new, changed, change = rename
        word = {"renamed": "renamed it to", "renamed-prefix": "renamed it to", "moved": "moved it to",
                "split": "split it into", "replaced": "replaced it with"}.get(change, "replaced it with")
        message = f"{path} is not read by {ctx.label}: {changed} {word} {new}"
        fix = f"Use {new} instead"
    elif rename is not None:
        message = f"{path} is not read by {ctx.label}: it was removed in {rename[1]}"
        fix = "Remove it"
    elif row is not None and row.first is not None and row.first > ctx.version and (
            row.removed_in is None or row.removed_in > ctx.version):
        message = f"{path} is not read by {ctx.label}: the chart reads it only from {format_semver(row.first)}"
        fix = f"Upgrade the chart to {format_semver(row.first)} or later, or remove it"
    elif row is not None:
        majors = ctx.table.known_majors(path)
        where = _major_ranges(majors) if majors else "a few intermediate releases"
        message = f"{path} is a key of {ctx.chart} {where}, not of {ctx.label}: Helm ignores it"
        moved = _child_renames(ctx, path, found)
        if moved:
            message += f" ({'; '.join(moved)})"
            fix = f"Use {moved[0].rsplit(' ', 1)[-1]} instead" if len(moved) == 1 else "Use the new keys instead"
        may_suggest = not moved
    else:
        message = f"{path} is not a values key of {ctx.label}: Helm ignores it"
        may_suggest = True
    suggestion = _suggest(ctx, parent, key) if may_suggest else None
    if suggestion:
        message += f" (did you mean {suggestion}?)"
        fix = f"Rename it to {suggestion}"
    return ValuesIssue("RL101", message, found.key_span, path, fix)


def _child_renames(ctx: _Context, path: str, found: Found) -> list[str]:
    """"14.0.0 replaced cluster.enabled with architecture" for the children of a block the user wrote."""
    if not isinstance(found.node, MapNode):
        return []
    out = []
    for key_node, _ in found.node.entries:
        if not isinstance(key_node, ScalarNode):
            continue
        child = f"{path}.{key_node.text}"
        rename = _rename_for(ctx, child)
        if rename is not None and rename[0]:
            new, changed, change = rename
            word = {"moved": "moved", "split": "split", "replaced": "replaced"}.get(change, "renamed")
            joiner = {"replaced": "with", "split": "into"}.get(change, "to")
            out.append(f"{changed} {word} {child} {joiner} {new}")
    return out


def _rename_for(ctx: _Context, path: str) -> tuple[str, str, str] | None:
    """(new path or "", version text, change) when a rename explains why `path` is gone."""
    for r in ctx.table.renames:
        if r.change not in _GONE or ctx.version < r.changed_in:
            continue
        if path == r.old:
            return (r.new, format_semver(r.changed_in), r.change)
        if r.change == "renamed-prefix" and path.startswith(r.old + ".") and r.new:
            return (r.new + path[len(r.old):], format_semver(r.changed_in), r.change)
    return None


def _suggest(ctx: _Context, parent: str, key: str) -> str | None:
    """A known key the user probably meant: same spelling in another case, a close sibling, or the
    same name one level down under a role block."""
    siblings = ctx.table.known_children(parent, ctx.version)
    lowered = {s.lower(): s for s in siblings}
    if key.lower() in lowered:
        return _join(parent, lowered[key.lower()])
    import difflib  # noqa: PLC0415 - only for a name nobody knows (a few ms of imports otherwise)

    close = difflib.get_close_matches(key, siblings, n=1, cutoff=0.75)
    if close:
        return _join(parent, close[0])
    if not parent:
        for prefix in ctx.prefixes:
            if ctx.table.known(f"{prefix}.{key}", ctx.version):
                return f"{prefix}.{key}"
    return None
