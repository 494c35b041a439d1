"""`min-replicas-to-write` asks for more replicas than the release runs: every write is refused.

## What it does
For chart releases, compares the effective `min-replicas-to-write N` on the master (every node in
sentinel mode) with the number of replicas that follow it, and reports when N is larger.
`min-replicas-max-lag 0` turns the feature off, and then nothing is reported.

A missing or zero `min-replicas-to-write` under a profile that requires one is not this rule's
business: it widens the data-loss window on failover, which RL205 reports.

## Why is this bad?
With `min-replicas-to-write N` the master accepts a write only while at least N replicas are
connected and acknowledged within `min-replicas-max-lag` seconds. With fewer replicas than N in
the release, that never happens: every write fails with `-NOREPLICAS Not enough good replicas to
write`. (With exactly N replicas, writes also stop whenever one of them restarts, for example in a
rolling update; keep N below the replica count.)

## Example
```yaml
architecture: replication
replica:
  replicaCount: 1
master:
  configuration: |
    min-replicas-to-write 2
```

## Use instead
```yaml
architecture: replication
replica:
  replicaCount: 3
master:
  configuration: |
    min-replicas-to-write 1
```

## Fix
Lower `min-replicas-to-write` below the number of replicas (1 for the runbook's two replicas), or
run more replicas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import failover_source
from redislint.kinds.registry import kind_of, vocabulary_of
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related, is_user_span, origin_of, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not failover_source(target):
        return
    if templated_keys(target) & {"min-replicas-to-write", "min-replicas-max-lag"}:
        return
    wanted = _int(target.value("min-replicas-to-write"))
    lag = _int(target.value("min-replicas-max-lag"))
    replicas = facts.replicas_of_master.value
    if not wanted or wanted <= 0 or lag == 0 or replicas is None or wanted <= replicas:
        return
    have = f"only {replicas} replica follows" if replicas == 1 else (
        "no replica follows" if replicas == 0 else f"only {replicas} replicas follow")
    v = vocabulary_of(target)
    kind = kind_of(target)
    every_pod = kind is not None and kind.always_fails_over and v is not None
    if every_pod:  # every pod runs Sentinel, one of them is the master
        source = f"one of the `{v.replica_count}` pods is the master"  # type: ignore[union-attr]
    elif target.mode == "sentinel":
        source = "in sentinel mode one of the replica.replicaCount nodes is the master"
    elif target.mode == "standalone":
        source = "architecture is standalone"
    else:
        source = "replica.replicaCount" + ("" if is_user_span(facts.replicas_of_master.span) else ", chart default")
    message = (f"min-replicas-to-write is {wanted} ({origin_of(target, 'min-replicas-to-write')}) but {have} the "
               f"master ({source}): the master refuses every write with NOREPLICAS")
    if every_pod:
        fix = (f"Run `{v.replica_count}: {wanted + 2}` or more (one pod is the master, one more keeps writes "  # type: ignore[union-attr]
               f"flowing during a rolling update), or lower `{v.min_replicas}`")  # type: ignore[union-attr]
    elif replicas == 0:
        fix = "Remove `min-replicas-to-write`, or run replicas (`architecture: replication`)"
    else:
        fix = f"Lower `min-replicas-to-write` to {max(replicas - 1, 1)}, or run more replicas"
    yield Hit(message, target.directive_span("min-replicas-to-write"), fix,
              fact_related(facts.replicas_of_master, "the replicas that exist"), subject="min-replicas-to-write")


RULE = define("RL502", "min-replicas-unreachable", "replication", Severity.ERROR, __doc__, check,
              tags=("replication", "availability"))
