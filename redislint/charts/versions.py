"""Chart versions: semver constraints as Flux and Argo CD write them, and the Redis each release runs."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

Version = tuple[int, int, int]

_VERSION_RE = re.compile(r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$")
_OP_RE = re.compile(r"^(>=|<=|!=|==|=|>|<|~>|~|\^)?\s*(.+)$")


@lru_cache(maxsize=4096)
def parse_semver(text: str) -> Version | None:
    """"17.3.8" -> (17, 3, 8); "v18.1" -> (18, 1, 0); anything else -> None."""
    m = _VERSION_RE.match(text.strip())
    if not m or any(g and not g.isdigit() for g in m.groups()):
        return None
    return tuple(int(g or 0) for g in m.groups())  # type: ignore[return-value]


def format_semver(v: Version) -> str:
    """(17, 3, 8) -> "17.3.8"."""
    return ".".join(str(p) for p in v)


class _Term(NamedTuple):
    op: str
    version: Version
    wildcard_from: int  # index of the first x/* part; 3 when fully specified


def _parse_term(text: str) -> _Term | None:
    m = _OP_RE.match(text.strip())
    if not m:
        return None
    op, rest = m.group(1) or "=", m.group(2).strip()
    parts = re.split(r"[.]", re.split(r"[-+]", rest, maxsplit=1)[0].lstrip("vV"))
    nums: list[int] = []
    wildcard_from = 3
    for i, part in enumerate(parts[:3]):
        if part in ("x", "X", "*", ""):
            wildcard_from = i
            break
        if not part.isdigit():
            return None
        nums.append(int(part))
    else:
        wildcard_from = len(nums) if len(nums) < 3 else 3
    while len(nums) < 3:
        nums.append(0)
    return _Term(op, (nums[0], nums[1], nums[2]), wildcard_from)


def _bump(v: Version, index: int) -> Version:
    """The smallest version above every version sharing the first `index` parts."""
    if index == 0:
        return (10**9, 0, 0)
    parts = list(v[:index])
    parts[-1] += 1
    return tuple(parts + [0] * (3 - index))  # type: ignore[return-value]


def _matches(term: _Term, v: Version) -> bool:
    t, w = term.version, term.wildcard_from
    if term.op in ("=", "==") or (term.op == "" and w < 3):
        return t[:w] == v[:w] if w < 3 else v == t
    if term.op == "!=":
        return v != t
    if term.op == ">=":
        return v >= t
    if term.op == ">":
        return v >= _bump(t, w) if w < 3 else v > t
    if term.op == "<=":
        return v < _bump(t, w) if w < 3 else v <= t
    if term.op == "<":
        return v < t
    if term.op in ("~", "~>"):
        # ~1.2.3 := >=1.2.3 <1.3.0; ~1 := >=1.0.0 <2.0.0
        return t <= v < _bump(t, max(1, min(w, 2)))
    if term.op == "^":
        # ^1.2.3 := >=1.2.3 <2.0.0; ^0.2.3 := <0.3.0
        first_nonzero = next((i for i, p in enumerate(t) if p), 2)
        return t <= v < _bump(t, min(first_nonzero, w - 1 if w < 3 else 2) + 1)
    return False


def satisfies(version: Version, constraint: str) -> bool:
    """Masterminds/semver style: `||` alternatives of comma- or space-separated terms; `*` matches all."""
    # Parsed once per constraint (`resolve` tries every known release); long ones are not kept.
    parsed = _alternatives(constraint) if len(constraint) <= 256 else _alternatives.__wrapped__(constraint)
    for terms in parsed:
        if terms is None:
            return True
        if all(_matches(t, version) for t in terms):
            return True
    return False


@lru_cache(maxsize=1024)
def _alternatives(constraint: str) -> tuple[tuple[_Term, ...] | None, ...]:
    """The `||` alternatives of a constraint, parsed: None matches everything; a term that does not
    parse leaves its alternative out (it can match nothing).

    Cached: `resolve` checks one constraint against every known release.
    """
    out: list[tuple[_Term, ...] | None] = []
    for alternative in constraint.split("||"):
        alternative = alternative.strip()
        if alternative in ("", "*", "x", "X", "latest"):
            out.append(None)
            break  # matches everything: later alternatives are never reached
        # "> = 1.2" is unusual; join operators to their versions before splitting on spaces.
        alternative = re.sub(r"(>=|<=|!=|==|~>|[<>=~^])\s+", r"\1", alternative)
        terms = [t for t in re.split(r"[,\s]+", alternative) if t]
        parsed = [_parse_term(t) for t in terms]
        if all(p is not None for p in parsed):
            out.append(tuple(p for p in parsed if p is not None))
    return tuple(out)


class ChartRelease(NamedTuple):
    """One release of a chart and the Redis/Valkey version its default image runs."""

    chart: str
    version: Version
    app_version: str
    image_tag: str = ""  # the default image.tag ("7.2.1-debian-11-r0")


@cache
def releases(chart: str) -> tuple[ChartRelease, ...]:
    """Every known release of `chart` (a kind's id, e.g. "bitnami/redis"), oldest first: the rows of
    chart-redis-versions.tsv for that chart, or for it under another publisher ("stable/redis-ha",
    "dandydeveloper/redis-ha" for redis-ha)."""
    text = resources.files("redislint").joinpath("data/charts/chart-redis-versions.tsv").read_text("utf-8")
    out = []
    for row in text.splitlines()[1:]:
        cols = row.split("\t")
        if cols[0] != chart and not cols[0].endswith(f"/{chart}"):
            continue
        v = parse_semver(cols[1])
        if v:
            out.append(ChartRelease(chart, v, cols[2], cols[4] if len(cols) > 4 else ""))
    out.sort(key=lambda r: r.version)
    return tuple(out)


class ResolvedChart(NamedTuple):
    """The chart version a constraint resolves to, and how sure we are."""

    version: Version | None
    app_version: str
    note: str  # empty when exact; otherwise what was assumed


@lru_cache(maxsize=4096)
def resolve(chart: str, constraint: str | None) -> ResolvedChart:
    """The newest known release matching `constraint`; the newest release when there is none.

    Cached: a range is checked against every known release, and repositories repeat constraints.
    """
    known = releases(chart)
    if not known:
        return ResolvedChart(None, "", f"unknown chart {chart}")
    newest = known[-1]
    if not constraint or constraint.strip() in ("*", "", "latest"):
        return ResolvedChart(newest.version, newest.app_version,
                             f"no chart version pinned; assuming the newest known {chart} {format_semver(newest.version)}")
    exact = parse_semver(constraint) if _VERSION_RE.match(constraint.strip()) else None
    if exact and not re.search(r"[xX*]", constraint):
        for rel in known:
            if rel.version == exact:
                return ResolvedChart(exact, rel.app_version, "")
        if exact > newest.version:
            return ResolvedChart(exact, newest.app_version,
                                 f"{chart} {constraint} is newer than the newest known release "
                                 f"{format_semver(newest.version)}; assuming it runs Redis {newest.app_version}")
        older = [r for r in known if r.version <= exact]
        base = older[-1] if older else known[0]
        return ResolvedChart(exact, base.app_version,
                             f"{chart} {constraint} is not a known release; assuming it runs {base.app_version}")
    matching = [r for r in known if satisfies(r.version, constraint)]
    if matching:
        best = matching[-1]
        return ResolvedChart(best.version, best.app_version,
                             f"chart version range {constraint!r} resolved to {format_semver(best.version)}")
    return ResolvedChart(newest.version, newest.app_version,
                         f"no known {chart} release matches {constraint!r}; assuming the newest "
                         f"{format_semver(newest.version)}")


def describe_releases(chart: str, versions: set[Version] | frozenset[Version]) -> str:
    """Known releases as runs in release order: "18.0.4–18.1.2", "17.15.4–17.17.0, 18.0.0–18.1.2"."""
    known = [r.version for r in releases(chart)]
    runs: list[list[Version]] = []
    previous_in = False
    for v in known:
        inside = v in versions
        if inside:
            if previous_in:
                runs[-1].append(v)
            else:
                runs.append([v])
        previous_in = inside
    if not runs:
        return "no known release"
    if len(runs) > 3:
        return f"{len(versions)} releases between {format_semver(runs[0][0])} and {format_semver(runs[-1][-1])}"
    return ", ".join(format_semver(r[0]) if len(r) == 1 else f"{format_semver(r[0])}–{format_semver(r[-1])}"
                     for r in runs)
