"""RDB snapshots are off (`save` is empty) although the profile requires them.

## What it does
Computes the effective `save` setting the way Redis builds it from every layer (the chart's
`commonConfiguration`, the role's `configuration`, `extraFlags`, or a redis.conf) and reports when
no save point is left while the profile requires RDB snapshots (`critical`, where the snapshot is
the second copy next to the AOF). Profiles that only need a data-loss window, met by the AOF or
the snapshots, leave this to RL205.

## Why is this bad?
With `save ""` Redis never writes `dump.rdb` on its own. The Bitnami chart's default
`commonConfiguration` contains exactly that line (`save ""`, next to `appendonly yes`), so every
release that keeps the default runs without snapshots: there is no point-in-time file to fall back
on when the AOF is corrupted (the runbook's "AOF Corruption" step restarts "with RDB backup if
available") and nothing for a backup job to copy. In sentinel mode it is worse than it looks: the
chart reads `commonConfiguration` *after* `replica.configuration`, so the chart's `save ""` erases
the `save` lines written there. On Redis 6.2, `save 900 1 300 10` (several pairs on one line)
also clears every save point without an error.

## Example
```yaml profile=critical
architecture: standalone
master:
  configuration: |
    appendfsync always
    maxmemory 1gb
```

## Use instead
```yaml profile=critical
architecture: standalone
master:
  configuration: |
    appendfsync always
    maxmemory 1gb
    save 900 1
    save 300 10
```

## Fix
Add save points such as `save 900 1` and `save 300 10` (runbook "Enable Proper Persistence") to
the layer Redis reads last: the role's `configuration` in standalone/replication mode, or
`commonConfiguration` (or `replica.extraFlags: ["--save 900 1"]`) in sentinel mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.kinds.registry import vocabulary_of
from redislint.model import Related, Severity
from redislint.redisconf.values import parse_save
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    checksum_off,
    common_fix,
    directive_place,
    from_chart_default_common,
    is_common_layer,
    is_user_span,
    origin_of,
    shared_by_roles,
    templated_keys,
)
from redislint.rules._line_rules import quote
from redislint.target import SHARED_DEFAULT_LAYER

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

_POINTS = "`save 900 1` and `save 300 10`"


def _join(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if not profile.rdb_required or "save" in templated_keys(target):
        return
    setting = target.setting("save")
    if setting is None or parse_save(setting.value):
        return
    winner = setting.history[-1] if setting.history else None
    erased = [a for a in setting.history[:-1]
              if a.line is not None and is_user_span(a.line.span) and a.line.value]
    quirk = winner is not None and winner.line is not None and winner.line.problem is not None \
        and winner.line.problem.kind == "save-ignored"
    if winner is not None and winner.line is not None and is_user_span(winner.line.span):
        how = f"'{quote(winner.line.raw)}' in {origin_of(target, 'save')}"
    else:
        how = f"`save \"\"` in {origin_of(target, 'save')}"
    message = f"RDB snapshots are off: save is empty, set by {how}"
    if quirk:
        message += (f" ({target.redis_version.label} reads only one `save <seconds> <changes>` pair per line; this "
                    "line sets nothing but still clears the default save points)")
    related: list[Related] = []
    if erased:
        by_layer: dict[str, list[int]] = {}
        for a in erased:
            by_layer.setdefault(a.layer, []).append(a.line.span.line)
        where = "; ".join(f"{layer} line{'s' if len(ns) > 1 else ''} {_join(ns)}" for layer, ns in by_layer.items())
        message += f"; Redis reads it after the save points written in {where} and erases them"
        if target.mode == "sentinel" and winner is not None and is_common_layer(target, winner.layer):
            message += " (sentinel nodes read commonConfiguration after replica.conf)"
        related = [Related(a.line.span, "these save points are erased by the later `save \"\"`") for a in erased]
    message += f"; profile {profile.name} requires RDB snapshots"
    stop = target.written("stop-writes-on-bgsave-error")
    stops_not = stop is not None and stop.value == "no" and profile.severity_for("RL206") is not None \
        and "stop-writes-on-bgsave-error" not in templated_keys(target)
    if stops_not:
        # What RL206 would report once the snapshots are back: said now, not in a second round.
        message += ("; with the snapshots back, stop-writes-on-bgsave-error no "
                    f"({origin_of(target, 'stop-writes-on-bgsave-error')}) would keep accepting writes while they fail")
    if checksum_off(target):  # what RL208 would report once the snapshots are back (it defers to this finding)
        message += (f"; with the snapshots back, rdbchecksum no ({origin_of(target, 'rdbchecksum')}) would write "
                    "them without a CRC64")
    fsync = (target.value("appendfsync") or "everysec").lower()
    fsync_fix = ""
    if (target.value("appendonly") or "no").lower() == "yes" and not profile.allows_appendfsync(fsync) \
            and from_chart_default_common(target, "save") and from_chart_default_common(target, "appendfsync"):
        # What RL204 would say (it defers to this finding: the chart's persistence kept as shipped, one edit
        # fixes both).
        message += (f"; the AOF it keeps runs appendfsync {fsync} ({origin_of(target, 'appendfsync')}), which profile "
                    f"{profile.name} does not allow either")
        fsync_fix = next((f"appendfsync {v}" for v in ("everysec", "always", "no") if profile.allows_appendfsync(v)), "")
    vocab = vocabulary_of(target)
    if quirk:
        fix = "Write one pair per line: `save 900 1`, then `save 300 10`"
    elif target.mode == "sentinel" and winner is not None and is_common_layer(target, winner.layer):
        if target.layer_kind(winner.layer) == SHARED_DEFAULT_LAYER:
            also = f", `{fsync_fix}`" if fsync_fix else ""
            fix = (f"Write commonConfiguration with `appendonly yes`{also}, `save 900 1` and `save 300 10` (it replaces "
                   "the chart default `save \"\"` and sentinel nodes read it last), or add `--save 900 1` to "
                   "replica.extraFlags" + (f" and `{fsync_fix}` to replica.configuration" if fsync_fix else ""))
        else:
            fix = (f"Replace `save \"\"` in commonConfiguration with {_POINTS} (sentinel nodes read it last), or "
                   "add `--save 900 1` to replica.extraFlags")
    elif winner is not None and winner.line is not None and is_user_span(winner.line.span):
        fix = f"Replace this `save \"\"` with {_POINTS}"
    elif shared_by_roles(target, "save"):
        fix = common_fix(target, profile, ["save 900 1", "save 300 10"])
    elif vocab is not None and vocab.entry("save"):
        fix = f"Set `{vocab.entry('save')}` to \"900 1 300 10\""
    elif target.values is not None and target.values_prefix and vocab is not None and vocab.role_config:
        fix = (f"Add `save 900 1`, `save 300 10` and `{fsync_fix}`" if fsync_fix else f"Add {_POINTS}") \
            + f" to {vocab.role_config}"
    else:
        fix = f"Add {_POINTS}"
    span, _ = directive_place(target, "save")
    removed = (["`stop-writes-on-bgsave-error no`"] if stops_not and profile.max_data_loss_seconds == 0 else []) \
        + (["`rdbchecksum no`"] if checksum_off(target) else [])
    if removed:
        fix += ", and remove " + " and ".join(removed)
    # Both from the chart's default commonConfiguration: one text (the fix) settles RL204 too.
    shared_default = from_chart_default_common(target, "save")
    common_causes = ("chart-default-common",) if shared_default else ()
    yield Hit(message, span, fix, tuple(related), subject="save", causes=("rdb-off",) + common_causes)


RULE = define("RL201", "rdb-disabled", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "rdb"))
