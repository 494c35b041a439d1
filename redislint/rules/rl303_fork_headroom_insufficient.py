"""Memory limit too small for a BGSAVE or AOF-rewrite fork: the save fails or the pod is OOM-killed.

## What it does
For a role that forks (save points or the AOF on, or a master that serves full syncs to its
replicas), compares the container memory limit with the profile's fork headroom factor k
(`settings.fork_headroom_factor`) times `maxmemory`. RL304 reports maxmemory at or above the limit.

When `maxmemory` is 0 (no cap), the size of the dataset is not in the config: it is judged on what
is known, the limit, and the finding says how large the dataset may grow before a fork no longer
fits (limit / k). It is at most a warning then, and it defers to RL301 where the profile requires
maxmemory (RL301 reports the same decision).

## Why is this bad?
BGSAVE and BGREWRITEAOF fork a child that shares the parent's pages copy-on-write; every page
written while the child runs is copied, so a busy dataset can need up to twice its memory
(measured: 99% of `used_memory` copied on Redis 7.0). `maxmemory` does not count those pages, the
container limit does. Too little headroom gives `fork: Cannot allocate memory`, a failed save
(and `-MISCONF` write errors), or an OOM-killed pod in the middle of the save.

## Example
```yaml profile=cache
architecture: standalone
master:
  configuration: |
    maxmemory 900mb
    maxmemory-policy allkeys-lru
  resources:
    limits:
      memory: 1Gi
```

## Use instead
```yaml profile=cache
architecture: standalone
master:
  configuration: |
    maxmemory 512mb
    maxmemory-policy allkeys-lru
  resources:
    limits:
      memory: 1Gi
```

## Fix
Lower maxmemory to limit / k, or raise the memory limit to k × maxmemory ("Redis needs 2x memory
for fork": runbook, limits 2Gi for 1Gi of data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    an,
    at_most,
    config_place,
    fact_related,
    persistence_off,
    save_points,
    templated_keys,
)
from redislint.rules._sizing import (
    copied_text,
    data_source,
    fact_span,
    factor_text,
    k8s_size_up,
    keys_for,
    limit_origin,
    lowering_allowed,
    maxmemory,
    maxmemory_related,
    maxmemory_text,
    memory_limit_span,
    memory_request,
    redis_size,
    replicas_too,
    resources_keys,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.rules._sizing import Keys
    from redislint.target import Target


def _forks(target: Target) -> tuple[str, bool] | None:
    """(what forks, whether persistence is why) for a role that forks, else None."""
    skip = templated_keys(target)
    aof = "appendonly" not in skip and (target.value("appendonly") or "no").lower() == "yes"
    rdb = "save" not in skip and bool(save_points(target))
    followers = target.facts.replicas_of_master.value
    serves = bool(followers) and target.role in ("master", "primary", "node", "server")
    if aof or rdb:
        what = " or ".join(w for w, on in (("BGSAVE", rdb), ("AOF rewrite", aof), ("full sync to a replica", serves))
                           if on)
        # Persistence is why only where nothing else forks: a master that serves replicas forks for every full
        # sync with persistence off too, so turning it off (RL211's fix) does not settle this finding.
        return what, not serves
    if serves:
        return "full sync to a replica", False
    return None


def _preset_note(target: Target) -> str:
    source = target.facts.memory_limit_source
    if source.startswith("preset:"):
        return f"; the limit comes from resourcesPreset {source.split(':', 1)[1]}, which Bitnami sizes for testing"
    return ""


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    limit = facts.memory_limit.value if facts.known else None
    source = data_source(target)  # a replica that only copies holds its master's data set
    if limit is None or source is None:
        return
    m = maxmemory(source)
    if m is None:
        return
    forks = _forks(target)
    if forks is None:
        return  # nothing forks: no snapshot, no AOF, no replica to sync
    what, persistence = forks
    k = profile.fork_headroom_factor
    keys = keys_for(target)
    origin = limit_origin(target)
    copied = source is not target
    causes = ("fork-headroom",) + (("persistence-on",) if persistence else ()) + (("replica-smaller",) if copied else ())
    related = fact_related(facts.memory_limit, f"memory limit {format_bytes(limit)}")
    if m > 0:
        need = int(m * k)
        if limit >= need or (not copied and m >= limit):
            return  # enough room; maxmemory at or above the limit is RL304
        request, _, _ = memory_request(target)
        # What RL308 would add (it defers to this finding): the scheduler reserves less than the data.
        below = (f"; the memory request {format_bytes(request)} is below maxmemory too, so the pod can land on a node "
                 "without room for its data" if request is not None and request < m else "")
        room = f"leaves {format_bytes(limit - m)}" if limit > m else "leaves nothing"
        if copied:
            related += maxmemory_related(source, f"the {source.role}'s maxmemory: the data set this replica copies")
        yield Hit(f"memory limit {format_bytes(limit)} ({origin}) {room} for the {what} fork of a "
                  f"{maxmemory_text(source)} dataset{copied_text(target, source)}; needs ≥ {format_bytes(need)} "
                  f"({factor_text(k)} × maxmemory, {profile.name} profile){below}{_preset_note(target)}",
                  memory_limit_span(target) if copied else target.directive_span("maxmemory"),
                  _bounded_fix(target, profile, keys.limit, need, limit, copied), related, subject="maxmemory",
                  causes=causes)
        return
    if copied:
        master_limit = source.facts.memory_limit.value if source.facts.known else None
        if master_limit is not None and limit < master_limit:
            return  # a replica smaller than its unbounded master is RL309's
        if profile.maxmemory != "optional" and profile.severity_for("RL301") is not None:
            return  # the master's RL301 reports the unbounded data set, and its fix sizes both roles
        # The replica holds the master's unbounded data set and forks for its own AOF inside its own limit: the
        # same finding as the master's (one, for both roles, where the limits are the same), with its fix.
        keys = keys_for(source)
        master_forks = _forks(source)
        what = master_forks[0] if master_forks is not None else what
    # A replica whose limit nobody wrote (the chart's preset) is the master's finding, at the master's place.
    span = memory_limit_span(source) if copied and fact_span(facts.memory_limit) is None else memory_limit_span(target)
    fits = int(limit / k)
    policy = target.value("maxmemory-policy") or "noeviction"
    # What RL306 would add (it defers to this finding): the policy written never acts without maxmemory.
    inert = f"; maxmemory-policy {policy} never evicts anything without it" if policy != "noeviction" else ""
    yield Hit(f"maxmemory is 0 (no limit), so nothing keeps the dataset below the memory limit {format_bytes(limit)} "
              f"({origin}): {an(what)} {what} fork fits only while the dataset stays under about {format_bytes(fits)} "
              f"(limit / {factor_text(k)}, the copy-on-write worst case, {profile.name} profile), and how large it "
              f"grows is not in the config{inert}{_preset_note(target)}", span,
              _unbounded_fix(source, keys, fits, k, persistence), related, subject=keys.limit,
              severity=at_most(profile, "RL303", Severity.WARNING),
              causes=causes + ("no-maxmemory", "unbounded-dataset"))


def _bounded_fix(target: Target, profile: Profile, limit_key: str, need: int, limit: int, copied: bool) -> str:
    """Raising the limit first: it keeps every byte and every write. Lowering maxmemory is offered only
    where the profile lets Redis evict, after checking the data set is below the new cap."""
    fix = f"Raise {limit_key} to {k8s_size_up(need)}"
    if not copied and target.facts.replicas_of_master.value and replicas_too(target, need):
        fix += " (and replica.resources.limits.memory with it: the replicas hold the same data set)"
    if copied:
        return fix + " (the replica ignores its own maxmemory; the master's bounds its data set)"
    policy = target.value("maxmemory-policy") or "noeviction"
    at_cap = "refuses writes (noeviction)" if policy == "noeviction" else f"evicts keys ({policy})"
    if not lowering_allowed(profile):
        return (f"{fix}; lowering maxmemory instead would make Redis refuse or drop data the {profile.name} profile "
                "keeps")
    lower = redis_size(int(limit / profile.fork_headroom_factor))
    return (f"{fix}, or lower maxmemory to {lower} after checking that used_memory (INFO memory) is below it: at that "
            f"size Redis {at_cap}")


def _unbounded_fix(target: Target, keys: Keys, fits: int, k: float, persistence: bool) -> str:
    """Size the container for the data first (a preset is a test size); cap the data with maxmemory and a
    policy chosen for it; where the fork is persistence written to an emptyDir, that may be the mistake."""
    facts = target.facts
    parts = []
    if persistence and facts.persistent.value is False:
        parts.append(f"If the data is disposable, turn persistence off ({persistence_off(target)}): it "
                     "is written to an emptyDir anyway")
    source = facts.memory_limit_source
    replicas = bool(facts.replicas_of_master.value) and replicas_too(target, facts.memory_limit.value)
    if source.startswith("preset:"):
        size = (f"set {resources_keys(target, replicas)} for the data you expect (limits.memory ≥ {factor_text(k)} × "
                f"the data set; resourcesPreset {source.split(':', 1)[1]} is a test size)")
    else:
        both = " and replica.resources.limits.memory" if replicas else ""
        size = f"size {keys.limit}{both} at ≥ {factor_text(k)} × the data set you expect"
    parts.append(f"{'otherwise ' if parts else ''}{size}, and cap the data set with maxmemory (at most "
                 f"{redis_size(fits)} with this limit){config_place(target, 'in')} and a maxmemory-policy chosen for the "
                 "data: with noeviction, the default, Redis refuses writes at that size; check that used_memory "
                 "(INFO memory) is below it first")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


RULE = define("RL303", "fork-headroom-insufficient", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "fork", "bgsave", "oom"))
