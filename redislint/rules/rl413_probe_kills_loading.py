"""A probe restarts Redis while it is still loading its data set, so a large data set never comes back.

## What it does
While Redis loads its RDB or AOF (or a replica its full sync) it answers `-LOADING`. This rule takes
the probe that can restart the container during that time: a startupProbe that is not a plain TCP
check, else the livenessProbe, and reports when its handler fails on `LOADING` (a check for `PONG`,
`redis-cli -e`, a readiness script used as a startupProbe, such as redis-ha's since 4.27.8) and its
window, `initialDelaySeconds + failureThreshold × periodSeconds`, is shorter than the load. The load is
estimated from the data set's bound (`maxmemory`, the master's for a replica, else the memory limit) at
the profile's `load_rate_mb_per_second`. Probes that accept LOADING (the Bitnami and redis-ha liveness
scripts, a bare `redis-cli ping`, whose exit code is 0 on an error reply) are not reported, nor roles
with nothing to load. When only the memory limit bounds the data, the finding is one level lower.

## Why is this bad?
A container killed while loading starts loading again from the beginning: it never becomes ready,
whatever the data. This is why the Bitnami and redis-ha liveness probes accept LOADING
(https://github.com/helm/charts/pull/15093, "which results in redis never starting successfully";
https://github.com/helm/charts/pull/14999). redis-ha's startupProbe runs the readiness script, which
since https://github.com/DandyDeveloper/charts/pull/293 fails until a replica has synced: a replica
with a big data set is killed by it before it finishes, again and again
(https://github.com/DandyDeveloper/charts/issues/399). spotahome raised its probe's failureThreshold for
large data sets (https://github.com/spotahome/redis-operator/pull/316).

## Example
```yaml profile=cache
replicas: 3
redis:
  config:
    maxmemory: 16gb
    maxmemory-policy: allkeys-lru
```

## Use instead
```yaml profile=cache
replicas: 3
redis:
  config:
    maxmemory: 16gb
    maxmemory-policy: allkeys-lru
  startupProbe:
    failureThreshold: 60
```

## Fix
Give the probe a window longer than the load (raise `failureThreshold` of the startupProbe, which only
runs until the first success), or make the check accept `LOADING` (a liveness probe should only ask
whether Redis answers at all). If your data loads faster than the profile assumes, set
`load_rate_mb_per_second` in a profile that extends it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import save_points, templated_keys
from redislint.rules._lifecycle import data_bound, one_level_lower, rate_text, seconds

if TYPE_CHECKING:
    from redislint.facts import Fact, Probe
    from redislint.profiles import Profile
    from redislint.target import Target

# Room on top of the estimate: the full sync's transfer, the "flushing old data" step, a slower disk.
MARGIN = 1.5


def _loads(target: Target) -> bool:
    """Whether the role has a data set to load at start: its own files on a volume, or a full sync."""
    facts = target.facts
    persists = (target.value("appendonly") or "no").lower() == "yes" or bool(save_points(target))
    follows = target.role in ("replica", "node", "server") and (facts.pods.value > 1 or target.role == "replica")
    return (persists and bool(facts.persistent.value)) or follows


def _probe(target: Target) -> tuple[str, Fact[Probe | None]] | None:
    """(kind, Fact) of the probe that can restart the container while it loads, or None."""
    facts = target.facts
    startup = facts.startup.value
    if startup is not None and startup.handler != "tcpSocket":
        if startup.tolerates_loading is False:
            return "startupProbe", facts.startup
        return None  # it passes while loading; once it has, liveness runs on a loaded Redis
    liveness = facts.liveness.value
    if liveness is not None and liveness.tolerates_loading is False:
        return "livenessProbe", facts.liveness
    return None


def _key(target: Target, kind: str) -> str:
    if target.chart == "redis-ha":
        return f"redis.{kind}.failureThreshold"
    if target.chart.startswith("bitnami/"):
        return f"{target.values_prefix}.custom{kind[0].upper()}{kind[1:]}.failureThreshold"
    return f"{kind}.failureThreshold"


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or {"save", "appendonly", "maxmemory"} & templated_keys(target):
        return
    found = _probe(target)
    if found is None or not _loads(target):
        return
    kind, fact = found
    probe = fact.value
    if probe is None:
        return
    bound = data_bound(target)
    if bound is None:
        return
    rate = profile.load_rate_mb_per_second
    load_s = seconds(bound.size, rate)
    if load_s <= probe.window:
        return
    want = -(-int(load_s * MARGIN - probe.initial_delay) // max(probe.period, 1))
    why = ("runs the readiness script, which fails until Redis has loaded and a replica has synced"
           if "readiness" in probe.command else f"fails on a LOADING reply ({probe.command or probe.handler})")
    span = fact.span if fact.span is not None and fact.span.path else None
    if span is None and target.chart == "redis-ha" and target.values is not None:
        span = target.values.anchor("redis.startupProbe", "redis")  # the chart's default startupProbe
    span = span or target.config_anchor
    yield Hit(f"The {kind} {why}, and restarts the container after {probe.window} s (initialDelaySeconds "
              f"{probe.initial_delay} + failureThreshold {probe.failure_threshold} × periodSeconds {probe.period}); "
              f"loading {'up to ' if not bound.chosen else ''}{bound.what} at {rate_text(rate)} (the profile's load "
              f"rate) takes about {load_s} s: Redis is killed while loading and starts over, forever",
              span, f"Raise {_key(target, kind)} to at least {max(want, probe.failure_threshold + 1)}"
              + (" (the startupProbe stops once Redis is up)" if kind == "startupProbe"
                 else ", or make the liveness check accept LOADING"),
              subject=kind, severity=None if bound.chosen else one_level_lower(profile, "RL413"))


RULE = define("RL413", "probe-kills-loading", "availability", Severity.WARNING, __doc__, check,
              tags=("availability", "kubernetes", "probes"))
