"""`auto-aof-rewrite-percentage 0`: the AOF is never compacted and grows until the disk is full.

## What it does
Reports `auto-aof-rewrite-percentage 0` when the AOF is on.

## Why is this bad?
Redis appends every write to the AOF and compacts it by rewriting it when it has grown by
`auto-aof-rewrite-percentage` percent over its size after the last rewrite (default 100, and only
above `auto-aof-rewrite-min-size`, default 64mb). With 0 the automatic rewrite is off: the file
grows with every write, not with the data, until the volume is full. Then AOF writes fail, Redis
refuses writes with `-MISCONF Errors writing to the AOF file`, and a restart replays the whole
history. This is the runbook's "Disk Full" failure and Bitnami chart issue #8578.

## Example
```conf
appendonly yes
auto-aof-rewrite-percentage 0
```

## Use instead
```conf
appendonly yes
auto-aof-rewrite-percentage 100
auto-aof-rewrite-min-size 64mb
```

## Fix
Set `auto-aof-rewrite-percentage 100` and `auto-aof-rewrite-min-size 64mb` (runbook "AOF rewrite
settings"), and size the volume for about 3x the compacted AOF.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import human_bytes, origin_of, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if templated_keys(target) & {"auto-aof-rewrite-percentage", "appendonly"}:
        return
    if (target.value("auto-aof-rewrite-percentage") or "100").strip() != "0":
        return
    if (target.value("appendonly") or "no").lower() != "yes":
        return
    facts = target.facts
    if facts.known and facts.persistent.value and facts.storage_size.value:
        until = f"the {human_bytes(facts.storage_size.value)} volume is full"
    else:
        until = "the disk is full"
    message = (f"auto-aof-rewrite-percentage is 0 ({origin_of(target, 'auto-aof-rewrite-percentage')}) with appendonly "
               f"yes: Redis never rewrites the AOF, so it grows with every write until {until} and Redis refuses "
               "writes (MISCONF Errors writing to the AOF file)")
    yield Hit(message, target.directive_span("auto-aof-rewrite-percentage"),
              "Set `auto-aof-rewrite-percentage 100` and `auto-aof-rewrite-min-size 64mb`",
              subject="auto-aof-rewrite-percentage", causes=("persistence-on",))


RULE = define("RL209", "aof-rewrite-disabled", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "aof", "disk"))
