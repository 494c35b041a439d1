"""AOF turned on in the config of a Redis whose data is in dump.rdb: the restarted pods come back empty.

## What it does
With `check --base REF`, reports a target whose `appendonly` is `no` at REF and `yes` in the
change while, at REF, Redis wrote RDB snapshots to a persistent volume (for a redis.conf or
ConfigMap without its pod: to its `dir`, taken to be on a disk that stays). A new release (no base
to compare with), a base whose data was on an emptyDir, replicas (they copy the master's data set
when they restart) and a change that also moves the data elsewhere (RL410) are not reported.

## Why is this bad?
With `appendonly yes`, Redis loads the append-only file at start-up and nothing else: dump.rdb is
ignored. The first pod started with the new config finds no AOF, creates an empty one ("Creating
AOF base file ... on server start") and serves an empty data set; the next snapshot then
overwrites dump.rdb, the last copy of the data (redis/redis#837, #1826, #12484). redislint's test
suite shows it with a real redis-server: a key is written, `SAVE`d, the server restarted with
`appendonly yes`, and `DBSIZE` is 0. The change looks harmless in review and is fine as an end
state: only the rollout destroys the data.

## Example
At the base revision (`--base REF`):
```yaml profile=cache
architecture: standalone
commonConfiguration: |
  appendonly no
  save 900 1
```
The change:
```yaml
architecture: standalone
commonConfiguration: |
  appendonly yes
  save 900 1
```

## Use instead
Switch the AOF on in the running servers first (see Fix), then merge the same change with a
suppression that records it:
```yaml
architecture: standalone
commonConfiguration: |
  # redislint: disable=RL212 -- enabled on every pod with CONFIG SET appendonly yes first
  appendonly yes
  save 900 1
```

## Fix
On every running Redis of the release (the master, and each node in Sentinel mode): run
`redis-cli CONFIG SET appendonly yes`, then wait until `redis-cli INFO persistence` shows
`aof_rewrite_in_progress:0` and `aof_rewrite_scheduled:0` (with `aof_last_bgrewrite_status:ok`):
Redis has then written its whole data set into the new AOF. Only then merge the change; the
restarted pods load that AOF.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.change.pairs import role_kind
from redislint.durability import LIVE_AOF_SWITCH
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._transitions import (
    aof_on,
    base_label,
    keeps_data,
    rdb_on,
    same_data,
    templated,
    where,
)

if TYPE_CHECKING:
    from redislint.change.transition import Transition
    from redislint.profiles import Profile

SAFE_PROCEDURE = f"Before merging, {LIVE_AOF_SWITCH}; merge after that"  # the one text RL203 and RL205 give too


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    base, head = change.base, change.head
    before, after = base.target, head.target
    if role_kind(after.role) == "replica" or templated(change, "appendonly", "save"):
        return
    if aof_on(before) or not aof_on(after) or not rdb_on(before):
        return  # the AOF was on already, stays off, or there was no snapshot to lose
    if not keeps_data(base) or not keeps_data(head) or not same_data(base.place, head.place):
        return  # nothing survived the pod (RL213, RL401), or the data moves anyway (RL410)
    kept = (f"in {base.place.dir or 'the working directory'} (taken to outlive a restart: the inputs do not show "
            "the disk it is on)" if base.place.volume == "unknown" else f"on {where(base.place)}")
    message = (f"appendonly changes from no ({base_label(change)}) to yes, while the data set is kept in dump.rdb {kept}: "
               "on restart Redis loads only the append-only file, which does not exist yet, so it comes back with an "
               "empty data set, and its next snapshot overwrites dump.rdb")
    yield Hit(message, after.directive_span("appendonly"), SAFE_PROCEDURE, subject="appendonly")


RULE = define("RL212", "aof-enabled-on-existing-data", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "change", "data-loss"), scope="transition")
