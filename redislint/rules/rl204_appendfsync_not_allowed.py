"""The AOF fsync policy (`appendfsync`) is not one the profile allows.

## What it does
When the AOF is on, compares the effective `appendfsync` (`always`, `everysec` or `no`; Redis's
default is `everysec`) with the profile's allowed values, and says how many seconds of
acknowledged writes the configured policy can lose.

## Why is this bad?
`appendfsync` decides when the AOF reaches the disk. `always` fsyncs before Redis replies (0 s
lost), `everysec` once per second (1 s, about 2 s when a slow disk makes Redis postpone the
fsync), and `no` leaves it to the kernel, which writes dirty pages back after about 30 s. Data of
record (the `critical` profile) cannot lose an acknowledged write; a cache that promises a 1 s RPO
cannot run with `no`.

## Example
```conf profile=cache
appendonly yes
appendfsync no
save 900 1
```

## Use instead
```conf profile=cache
appendonly yes
appendfsync everysec
save 900 1
```

## Fix
Set `appendfsync` to a value the profile allows: `everysec` ("good balance of performance and
durability") or `always` ("slower but most durable"), as the runbook recommends.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import aof_window, format_seconds
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    common_fix,
    config_place,
    directive_place,
    from_chart_default_common,
    is_user_span,
    origin_of,
    templated_keys,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# Strictest first: the value suggested in the fix is the most relaxed one the profile allows.
_ORDER = ("no", "everysec", "always")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if templated_keys(target) & {"appendonly", "appendfsync"}:
        return
    if (target.value("appendonly") or "no").lower() != "yes":
        return
    value = (target.value("appendfsync") or "everysec").lower()
    if profile.allows_appendfsync(value):
        return
    try:
        window = aof_window(value)
    except ValueError:
        return  # a value Redis rejects: RL011 reports it
    loss = window.text
    if window.worst_case_seconds > window.seconds:
        loss += f" (about {format_seconds(window.worst_case_seconds)} on a slow disk)"
    allowed = [v for v in _ORDER if profile.allows_appendfsync(v)]
    allowed_text = " or ".join(allowed) if allowed else "none of always, everysec, no"
    message = (f"appendfsync is {value} ({origin_of(target, 'appendfsync')}), which can lose {loss} of acknowledged "
               f"writes; profile {profile.name} allows appendfsync {allowed_text}")
    limit = profile.max_data_loss_seconds
    if limit is not None:  # the window is said here, once (RL205 defers to this finding)
        message += f" (a data-loss window of at most {format_seconds(limit)})"
    span, shared = directive_place(target, "appendfsync")
    written = target.written("appendfsync")
    if not allowed:
        fix = "Choose a profile that allows an appendfsync policy"
    elif shared and written is None:
        fix = common_fix(target, profile, [f"appendfsync {allowed[0]}"])
    elif written is not None and written.line is not None and is_user_span(written.line.span):
        fix = f"Set `appendfsync {allowed[0]}`"
    else:  # where the line goes: in sentinel mode not a commonConfiguration that would replace the chart's AOF
        fix = f"Add `appendfsync {allowed[0]}`{config_place(target)}"
    common_causes = ("chart-default-common",) if from_chart_default_common(target, "appendfsync") else ()
    yield Hit(message, span, fix, subject="appendfsync", causes=("appendfsync", "persistence-on") + common_causes)


RULE = define("RL204", "appendfsync-not-allowed", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "aof", "durability"))
