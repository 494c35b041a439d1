"""Shared numbers for the memory and storage rules (RL3xx, RL4xx): maxmemory, limits, the disk model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.charts.bitnami_facts import FactReader, memory_facts
from redislint.charts.versions import parse_semver
from redislint.durability import follows_only
from redislint.kinds.registry import vocabulary_of
from redislint.model import Related, Span
from redislint.quantity import format_bytes
from redislint.rules._helpers import (
    has_role_blocks,
    is_user_span,
    memory_value,
    save_points,
    setting_related,
    templated_keys,
)

if TYPE_CHECKING:
    from redislint.facts import Fact
    from redislint.target import Target

MI = 1024 * 1024
GI = 1024 * MI


class Keys(NamedTuple):
    """What the person edits for each Kubernetes fact, in the words of the input kind."""

    limit: str
    request: str
    resources: str
    enabled: str
    size: str
    medium: str
    kind: str
    volume_block: str  # the values block of the data volume ("" for manifests)
    role_block: str  # the role's values block ("" when there is none)


def keys_for(target: Target) -> Keys:
    """Values keys of the target's kind (`kinds.registry.vocabulary_of`), or manifest fields."""
    v = vocabulary_of(target)
    if v is not None:
        return Keys(v.memory_limit or "", v.memory_request or "", v.resources or "", v.persistence_enabled or "",
                    v.persistence_size or "", v.persistence_medium or "", v.workload_kind or "",
                    v.persistence or "", v.role_block or "")
    return Keys("the container's resources.limits.memory", "the container's resources.requests.memory",
                "the container's resources", "the data volume", "the volumeClaimTemplates storage request",
                "the emptyDir medium", "kind", "", "")


def maxmemory(target: Target) -> int | None:
    """maxmemory in bytes; 0 means no limit; None when templated or unreadable."""
    return memory_value(target, "maxmemory")


def data_source(target: Target) -> Target | None:
    """The target whose maxmemory bounds this one's data set: itself, or for a replica that only copies
    (durability.follows_only) its master; None when that master is not among the inputs."""
    return target.upstream if follows_only(target) else target


def copied_text(target: Target, source: Target) -> str:
    """" (the master's maxmemory: this replica holds a copy of its data)" when `source` is another role."""
    if source is target:
        return ""
    return f" (the {source.role}'s maxmemory: this replica holds a copy of its data set, and ignores its own maxmemory)"


def lowering_allowed(profile: Any) -> bool:
    """True when the profile lets Redis evict: only then is "lower maxmemory" a fix (under a profile that
    allows noeviction alone, a lower cap refuses writes on data that must be kept, and an evicting
    policy deletes it)."""
    return any(profile.allows_eviction_policy(p) for p in ("allkeys-lru", "volatile-lru"))


def maxmemory_text(target: Target) -> str:
    """maxmemory as the person wrote it ("900mb"), else in binary units."""
    written = target.written("maxmemory")
    if written is not None and written.line is not None and written.line.args:
        return str(written.line.args[0])
    value = maxmemory(target)
    return format_bytes(value) if value else "0"


def maxmemory_related(target: Target, message: str) -> tuple[Related, ...]:
    """A related location at the maxmemory line, if a person wrote it."""
    return setting_related(target, "maxmemory", message)


def redis_size(n: int) -> str:
    """Bytes as a Redis memory value, rounded down to what a person would write: "1gb", "768mb"."""
    if n >= GI and n % GI == 0:
        return f"{n // GI}gb"
    return f"{max(n // MI, 1)}mb"


def k8s_size_up(n: int) -> str:
    """Bytes as a Kubernetes quantity, rounded up to a whole Gi (or Mi below 1Gi): "5Gi", "384Mi"."""
    if n >= GI:
        return f"{-(-n // GI)}Gi"
    return f"{-(-n // MI)}Mi"


def factor_text(k: float) -> str:
    """2.0 -> "2", 1.5 -> "1.5"."""
    return str(int(k)) if float(k).is_integer() else f"{k:g}"


def fact_span(fact: Fact[Any]) -> Span | None:
    """The span of a fact a person wrote, else None."""
    return fact.span if is_user_span(fact.span) else None


def values_span(target: Target, *paths: str) -> Span:
    """The first of `paths` a person wrote, else where absent settings belong."""
    if target.values is not None:
        found = target.values.anchor(*paths)
        if found is not None:
            return found
    return target.config_anchor


def memory_limit_span(target: Target) -> Span:
    """Where the role's memory limit is (or belongs)."""
    keys = keys_for(target)
    p = target.values_prefix
    v = vocabulary_of(target)
    preset = v.resources_preset if v is not None and v.resources_preset else ""
    return fact_span(target.facts.memory_limit) or values_span(target, keys.limit, keys.resources, preset, p)


def memory_request(target: Target) -> tuple[int | None, Span | None, str]:
    """(request bytes, span, a note on where it came from). Kubernetes sets requests to the limits
    when only limits are written, so a missing request with a written limit is the limit."""
    facts = target.facts
    request = facts.memory_request
    if request.value is not None:
        return request.value, fact_span(request), ""
    if facts.memory_limit.value is not None and facts.memory_limit_source == "resources":
        note = " (no request written: Kubernetes uses the limit)"
        return facts.memory_limit.value, fact_span(facts.memory_limit), note
    return None, None, ""


def limit_unresolved(target: Target) -> bool:
    """True when the memory limit was written but could not be read (RL003 reports it)."""
    keys = keys_for(target)
    subjects = (keys.limit, keys.request, "resources.limits.memory", "resources.requests.memory")
    return any(u.subject in subjects for u in target.unresolved)


def limit_origin(target: Target) -> str:
    """"resourcesPreset nano" / "master.resources.limits.memory" for messages."""
    source = target.facts.memory_limit_source
    if source.startswith("preset:"):
        return f"resourcesPreset {source.split(':', 1)[1]}"
    return target.facts.memory_limit.origin


class DiskModel(NamedTuple):
    """Peak disk use of the data directory, in bytes, with the parts that make it up."""

    data: int
    peak: int
    parts: tuple[tuple[str, int, str], ...]  # (file, bytes, why) of the larger phase
    phase: str  # "during BGSAVE" / "during an AOF rewrite"
    unbounded_aof: bool  # auto-aof-rewrite-percentage 0: the AOF is never compacted
    rdb_unknown: bool = False  # `save` is templated or refused: snapshots left out, the peak is a lower bound


def disk_model(target: Target, data: int) -> DiskModel | None:
    """What Redis keeps in `dir` at its worst moment (redis-config.md §5.5); None when unknowable.

    RDB: dump.rdb (≈ data) plus temp-<pid>.rdb while BGSAVE runs (another ≈ data).
    AOF: the base (≈ data) grows by auto-aof-rewrite-percentage before a rewrite starts (and at
    least to auto-aof-rewrite-min-size); the rewrite then writes a new base (≈ data) beside it.
    Redis runs one fork child at a time, so the peak is the larger of the two phases.
    """
    skip = templated_keys(target)
    if skip & {"appendonly", "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size"}:
        return None
    rdb_unknown = "save" in skip  # the AOF alone still gives a lower bound
    rdb = not rdb_unknown and bool(save_points(target))
    aof = target.value("appendonly") == "yes"
    if not rdb and not aof:
        return None
    try:
        pct = int(target.value("auto-aof-rewrite-percentage") or "100")
    except ValueError:
        pct = 100
    min_size = memory_value(target, "auto-aof-rewrite-min-size") or 0
    grown = max(data * (100 + pct) // 100, min_size) if pct > 0 else data
    during_save: list[tuple[str, int, str]] = []
    during_rewrite: list[tuple[str, int, str]] = []
    if rdb:
        during_save += [("dump.rdb", data, ""), ("temp RDB", data, "written beside it by BGSAVE")]
        during_rewrite += [("dump.rdb", data, "")]
    if aof:
        why = (f"its base grown by auto-aof-rewrite-percentage {pct} before a rewrite" if pct > 0
               else "never rewritten: auto-aof-rewrite-percentage 0")
        during_save += [("AOF", grown, why)]
        during_rewrite += [("AOF", grown, why), ("new AOF base", data, "written by the rewrite")]
    save_total = sum(n for _, n, _ in during_save)
    rewrite_total = sum(n for _, n, _ in during_rewrite)
    if rewrite_total > save_total:
        return DiskModel(data, rewrite_total, tuple(during_rewrite), "during an AOF rewrite", aof and pct == 0,
                         rdb_unknown)
    return DiskModel(data, save_total, tuple(during_save), "during BGSAVE" if rdb else "during an AOF rewrite",
                     aof and pct == 0, rdb_unknown)


def replica_memory_limit(target: Target) -> tuple[int | None, str]:
    """(memory limit, where it comes from) of the replicas of a Bitnami release, read from its values as the
    chart reads them (`replica.resources`, else the preset, the chart's default one included)."""
    if target.values is None or not has_role_blocks(target):
        return None, ""
    facts = memory_facts(FactReader(target.values), "replica", target.chart, parse_semver(target.chart_version or ""))
    return facts["memory_limit"].value, facts["memory_limit_source"]


def replicas_too(target: Target, limit: int | None, master_resized: bool = True) -> bool:
    """True for a Bitnami master whose replicas (running, or made by the fix) would get a memory limit below
    `limit` (a preset, often the chart's default nano): they hold the same data set, so a fix that sizes
    the master alone leaves them OOM-killed on every full sync (RL309)."""
    if target.role not in ("master", "primary") or not has_role_blocks(target):
        return False
    replica_limit, source = replica_memory_limit(target)
    if replica_limit is None:
        return False  # no limit on the replicas: nothing smaller than the master's
    if master_resized and source.startswith("preset:") and target.facts.memory_limit_source == source:
        return True  # the same preset on both: the fix replaces the master's, the replicas keep it
    return limit is None or replica_limit < limit


def resources_keys(target: Target, with_replicas: bool) -> str:
    """"master.resources", or "master.resources and replica.resources (the same: ...)" when the replicas
    hold the same data set and must be sized with it."""
    keys = keys_for(target).resources
    if not with_replicas:
        return keys
    return (f"{keys} and replica.resources (the same size: the replicas hold the same data set and fork for their "
            "own AOF, and a smaller replica is OOM-killed on every full sync)")
