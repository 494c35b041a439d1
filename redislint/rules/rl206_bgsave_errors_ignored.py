"""`stop-writes-on-bgsave-error no`: Redis keeps accepting writes while snapshots fail.

## What it does
Reports `stop-writes-on-bgsave-error no` when RDB snapshots are on (at least one save point).

## Why is this bad?
By default, when a BGSAVE fails, Redis refuses writes with `-MISCONF` until a save succeeds: the
failure is loud and nobody keeps writing data that will not survive. With `no`, the runbook's
failures ("Can't save in background: fork: Cannot allocate memory", a full disk, "Permission
denied" on /data) only show in the log and in `rdb_last_bgsave_status:err`, while the snapshot on
disk gets older with every write the clients believe is safe.

## Example
```conf profile=cache
appendonly yes
save 900 1
stop-writes-on-bgsave-error no
```

## Use instead
```conf profile=cache
appendonly yes
save 900 1
stop-writes-on-bgsave-error yes
```

## Fix
Alert on `redis_rdb_last_bgsave_status == 0` (runbook "Set Up Monitoring"), check that the last
BGSAVE succeeded (`rdb_last_bgsave_status:ok`), then remove `stop-writes-on-bgsave-error no` (the
default is `yes`): with `yes` every write is refused with MISCONF while the last BGSAVE failed. If
staying writable matters more than the snapshot, keep `no` only together with that alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import format_seconds
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of, save_points, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if templated_keys(target) & {"stop-writes-on-bgsave-error", "save"}:
        return
    if (target.value("stop-writes-on-bgsave-error") or "yes").lower() != "no":
        return
    points = save_points(target)
    if not points:
        return
    shown = " ".join(f"{s} {c}" for s, c in points)
    message = (f"stop-writes-on-bgsave-error is no ({origin_of(target, 'stop-writes-on-bgsave-error')}) with save "
               f"'{shown}': when a BGSAVE fails (fork: Cannot allocate memory, disk full, Permission denied) Redis "
               "keeps accepting writes that no snapshot holds, and only the log says so")
    if profile.max_data_loss_seconds == 0:
        fix = ("Alert on redis_rdb_last_bgsave_status == 0, check that `INFO persistence` shows "
               "rdb_last_bgsave_status:ok and that the fork and the disk have room for a snapshot, then remove "
               "`stop-writes-on-bgsave-error no` (the default is yes): with yes, every write is refused with MISCONF "
               "while the last BGSAVE failed, from the moment the setting changes")
    else:
        # Staying writable while snapshots fail is a legitimate choice here (the profile says so): the
        # failure must be seen, not turned into refused writes.
        fix = ("Alert on redis_rdb_last_bgsave_status == 0; keep `no` if staying writable matters more than a fresh "
               "snapshot (with the default yes, every write is refused with MISCONF while BGSAVE fails)")
    severity = None
    allowed = profile.max_data_loss_seconds
    snapshots_meet_it = allowed is not None and min(int(s) for s, _ in points) <= allowed
    if (target.value("appendonly") or "no").lower() != "yes" and profile.judges_data_loss and snapshots_meet_it:
        # The snapshots are all that persists: a BGSAVE that keeps failing, unseen, voids the profile's window.
        # (When no save point is within that window, RL203/RL205 already report it: nothing to stretch.)
        message += (f"; with the AOF off these snapshots are all that persists, so a BGSAVE that keeps failing "
                    f"stretches the {format_seconds(profile.max_data_loss_seconds or 0)} data-loss window profile "
                    f"{profile.name} allows without bound, and nothing refuses a write to say so")
        configured = profile.severity_for("RL206")
        if configured is not None and configured.rank < Severity.WARNING.rank:
            severity = Severity.WARNING
    yield Hit(message, target.directive_span("stop-writes-on-bgsave-error"), fix,
              subject="stop-writes-on-bgsave-error", causes=("persistence-on",), severity=severity)


RULE = define("RL206", "bgsave-errors-ignored", "persistence", Severity.WARNING, __doc__, check,
              tags=("persistence", "rdb"))
