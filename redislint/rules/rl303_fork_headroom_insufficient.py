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

from typing import Iterator

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import an, at_most, fact_related, save_points, templated_keys
from redislint.rules._sizing import (factor_text, k8s_size_up, keys_for, limit_origin, maxmemory, maxmemory_text,
                                     memory_limit_span, memory_request, redis_size)


def _forks(target) -> tuple[str, bool] | None:
    """(what forks, whether persistence is why) for a role that forks, else None."""
    skip = templated_keys(target)
    aof = "appendonly" not in skip and (target.value("appendonly") or "no").lower() == "yes"
    rdb = "save" not in skip and bool(save_points(target))
    if aof or rdb:
        what = " or ".join(w for w, on in (("BGSAVE", rdb), ("AOF rewrite", aof)) if on)
        return what, True
    followers = target.facts.replicas_of_master.value
    if followers and target.role in ("master", "primary", "node", "server"):
        return "full sync to a replica", False
    return None


def _preset_note(target) -> str:
    source = target.facts.memory_limit_source
    if source.startswith("preset:"):
        return f"; the limit comes from resourcesPreset {source.split(':', 1)[1]}, which Bitnami sizes for testing"
    return ""


def check(target, profile) -> Iterator[Hit]:
    facts = target.facts
    limit = facts.memory_limit.value if facts.known else None
    m = maxmemory(target)
    if limit is None or m is None:
        return
    forks = _forks(target)
    if forks is None:
        return  # nothing forks: no snapshot, no AOF, no replica to sync
    what, persistence = forks
    k = profile.fork_headroom_factor
    keys = keys_for(target)
    origin = limit_origin(target)
    causes = ("fork-headroom",) + (("persistence-on",) if persistence else ())
    related = fact_related(facts.memory_limit, f"memory limit {format_bytes(limit)}")
    if m > 0:
        need = int(m * k)
        if m >= limit or limit >= need:
            return  # maxmemory at or above the limit is RL304
        request, _, _ = memory_request(target)
        # What RL308 would add (it defers to this finding): the scheduler reserves less than the data.
        below = (f"; the memory request {format_bytes(request)} is below maxmemory too, so the pod can land on a node "
                 "without room for its data" if request is not None and request < m else "")
        yield Hit(f"memory limit {format_bytes(limit)} ({origin}) leaves {format_bytes(limit - m)} for the {what} "
                  f"fork of a {maxmemory_text(target)} dataset; needs ≥ {format_bytes(need)} ({factor_text(k)} × "
                  f"maxmemory, {profile.name} profile){below}{_preset_note(target)}", target.directive_span("maxmemory"),
                  f"Lower maxmemory to {redis_size(int(limit / k))}, or raise {keys.limit} to {k8s_size_up(need)}",
                  related, subject="maxmemory", causes=causes)
        return
    fits = int(limit / k)
    policy = target.value("maxmemory-policy") or "noeviction"
    # What RL306 would add (it defers to this finding): the policy written never acts without maxmemory.
    inert = f"; maxmemory-policy {policy} never evicts anything without it" if policy != "noeviction" else ""
    yield Hit(f"maxmemory is 0 (no limit), so nothing keeps the dataset below the memory limit {format_bytes(limit)} "
              f"({origin}): {an(what)} {what} fork fits only while the dataset stays under about {format_bytes(fits)} "
              f"(limit / {factor_text(k)}, the copy-on-write worst case, {profile.name} profile), and how large it "
              f"grows is not in the config{inert}{_preset_note(target)}", memory_limit_span(target),
              f"Set maxmemory {redis_size(fits)} (limit / {factor_text(k)}), so the dataset leaves room for the fork",
              related, subject=keys.limit, severity=at_most(profile, "RL303", Severity.WARNING),
              causes=causes + ("no-maxmemory", "unbounded-dataset"))


RULE = define("RL303", "fork-headroom-insufficient", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "fork", "bgsave", "oom"))
