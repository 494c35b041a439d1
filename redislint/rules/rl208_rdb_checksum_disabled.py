"""`rdbchecksum no`: RDB files carry no checksum, so corruption loads silently.

## What it does
Reports `rdbchecksum no`.

## Why is this bad?
With the checksum on, Redis writes a CRC64 at the end of every RDB file (`dump.rdb`, the RDB
preamble of the AOF base file, full-sync transfers to replicas) and verifies it on load, so a
truncated or bit-flipped file stops the load with an error instead of coming back as wrong data.
The runbook's recovery steps ("RDB Corruption": `redis-check-rdb /data/dump.rdb`) rely on it.
Turning it off saves about 10% of save and load time.

## Example
```conf
save 900 1
rdbchecksum no
```

## Use instead
```conf
save 900 1
rdbchecksum yes
```

## Fix
Remove `rdbchecksum no` (the default is `yes`). The setting is immutable, so the change takes
effect at the next restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of, save_points, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if "rdbchecksum" in templated_keys(target) or (target.value("rdbchecksum") or "yes").lower() != "no":
        return
    written = bool(save_points(target)) or (target.value("appendonly") or "no").lower() == "yes"
    if not written and not (profile.rdb_required or profile.aof_required):
        return  # nothing is written to disk, and this profile asks for nothing to be: the line has no effect
    if written:
        files = "dump.rdb and the AOF's RDB base are written"
    elif profile.rdb_required:
        files = f"the snapshots profile {profile.name} requires (RL201) would be written"
    else:
        files = (f"the AOF profile {profile.name} requires (RL203) would start from an RDB base "
                 "(aof-use-rdb-preamble) written")
    message = (f"rdbchecksum is no ({origin_of(target, 'rdbchecksum')}): {files} without a CRC64, so a flipped bit "
               "inside a value loads as wrong data without an error (structural damage is still caught)")
    # Nothing written yet: the finding that turns persistence back on (RL201, RL203) names this line too.
    causes = ("persistence-on",) if written else ("persistence-on", "rdb-off", "aof-off")
    yield Hit(message, target.directive_span("rdbchecksum"), "Remove `rdbchecksum no` (the default is yes)",
              subject="rdbchecksum", causes=causes)


RULE = define("RL208", "rdb-checksum-disabled", "persistence", Severity.WARNING, __doc__, check,
              tags=("persistence", "rdb", "integrity"))
