"""`no-appendfsync-on-rewrite yes`: no fsync while a BGSAVE or AOF rewrite runs.

## What it does
Reports `no-appendfsync-on-rewrite yes` when the AOF is on.

## Why is this bad?
While a fork child writes a snapshot or rewrites the AOF, this setting makes Redis skip every
fsync of the AOF, so durability drops to that of `appendfsync no`: about 30 s of acknowledged
writes (the kernel's writeback delay) can be lost for the whole length of each rewrite. Rewrites
of a large dataset take minutes, and they happen exactly when the disk is busiest.

## Example
```conf profile=cache
appendonly yes
appendfsync everysec
no-appendfsync-on-rewrite yes
```

## Use instead
```conf profile=cache
appendonly yes
appendfsync everysec
no-appendfsync-on-rewrite no
```

## Fix
Remove `no-appendfsync-on-rewrite yes` (the default is `no`). If fsync stalls during rewrites
hurt latency, give the volume more IOPS instead of giving up durability.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import aof_window, format_seconds
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if templated_keys(target) & {"no-appendfsync-on-rewrite", "appendonly", "appendfsync"}:
        return
    if (target.value("no-appendfsync-on-rewrite") or "no").lower() != "yes":
        return
    if (target.value("appendonly") or "no").lower() != "yes":
        return
    try:
        window = aof_window(target.value("appendfsync") or "everysec", no_appendfsync_on_rewrite=True)
    except ValueError:
        return
    during = format_seconds(window.rewrite_seconds or 0, approximate=True)
    message = (f"no-appendfsync-on-rewrite is yes ({origin_of(target, 'no-appendfsync-on-rewrite')}) with appendonly "
               f"yes: while a BGSAVE or AOF rewrite runs Redis skips fsync, so for the length of each rewrite the "
               f"data-loss window grows from {window.text} to {during}")
    limit = profile.max_data_loss_seconds  # None: the profile does not judge the window
    if limit is not None and limit < (window.rewrite_seconds or 0):
        message += f"; profile {profile.name} allows at most {format_seconds(limit)}"
    yield Hit(message, target.directive_span("no-appendfsync-on-rewrite"),
              "Remove `no-appendfsync-on-rewrite yes` (the default is no)", subject="no-appendfsync-on-rewrite",
              causes=("persistence-on",))


RULE = define("RL207", "fsync-paused-during-rewrite", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "aof", "durability"))
