"""A chart upgrade that stops reading values the release still sets: those settings are silently dropped.

## What it does
With `check --base REF`, reports a chart release whose chart version changes (Bitnami redis,
valkey, redis-ha) when values it sets were read by the version at REF and are not read by the
new one, because the new major renamed or removed them: bitnami/valkey 2.0.0 renamed every
`master.*` key to `primary.*`, bitnami/redis 14.0.0 renamed `slave.*` to `replica.*` and
`configmap` to `commonConfiguration`, redis-ha 3.7.7 renamed `min-slaves-*` to `min-replicas-*`
(the tables in `redislint/data/charts/`). It names each key with its new name. This finding stands
for the per-key RL101/RL102 findings of the same keys, which are not reported separately.

## Why is this bad?
Helm accepts any key: the upgrade succeeds, and the settings that were in force before (a volume
size, a memory limit, the whole Redis configuration of a role) are replaced by the new chart's
defaults without a word. A dropped `persistence.size` or `configuration` is often the one that
mattered, and it shows up as an outage or a data loss much later.

## Example
At the base revision (`--base REF`):
```yaml profile=cache
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chart:
    spec:
      chart: valkey
      version: 1.0.3
  values:
    architecture: standalone
    master:
      persistence:
        size: 32Gi
```
The change:
```yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chart:
    spec:
      chart: valkey
      version: 2.4.7
  values:
    architecture: standalone
    master:
      persistence:
        size: 32Gi
```

## Use instead
Rename the keys in the same change as the version:
```yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chart:
    spec:
      chart: valkey
      version: 2.4.7
  values:
    architecture: standalone
    primary:
      persistence:
        size: 32Gi
```

## Fix
Rename each key to the name the new major reads (the message lists them), in the same change as
the version bump, and read the chart's upgrade notes ("To 2.0.0") for anything that was removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.change.places import version_span
from redislint.charts.values_keys import key_table
from redislint.charts.versions import Version, format_semver, parse_semver
from redislint.model import Related, Severity
from redislint.rules._api import Hit, define
from redislint.rules._transitions import base_label

if TYPE_CHECKING:
    from redislint.change.transition import Transition
    from redislint.charts.values_keys import KeyTable
    from redislint.profiles import Profile
    from redislint.target import Target


def _version(text: str | None) -> Version | None:
    return parse_semver(text) if text else None


def new_name(chart: str, path: str, old: Version, new: Version) -> str | None:
    """What the chart calls `path` in `new`, when a release between `old` and `new` renamed it."""
    table = key_table(chart)
    if table is None:
        return None
    for r in table.renames:
        if not r.new or not (old < r.changed_in <= new or new < r.changed_in <= old):
            continue
        if path == r.old or path.startswith(r.old + "."):
            return r.new + path[len(r.old):]
    return None


def _described(target: Target, table: KeyTable, path: str, old: Version, new: Version) -> list[str]:
    """"master.* (now primary.*)", or each key written under a block without a rename of its own."""
    renamed = new_name(target.chart, path, old, new)
    block = bool(table.children.get(path))
    if renamed is not None:
        star = ".*" if block else ""
        return [f"{path}{star} (now {renamed}{star})"]
    written = [k for k, _ in target.values.keys_under(path)] if block and target.values is not None else []
    if not written:
        return [f"{path} (no longer read)"]
    out = []
    for child in written:
        full = f"{path}.{child}"
        child_new = new_name(target.chart, full, old, new)
        out.append(f"{full} (now {child_new})" if child_new else f"{full} (no longer read)")
    return out


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    before, after = change.base.target, change.head.target
    if before.chart != after.chart or not after.values_issues:
        return
    old, new = _version(before.chart_version), _version(after.chart_version)
    table = key_table(after.chart)
    if table is None or old is None or new is None or old == new:
        return
    dropped = [i for i in after.values_issues if i.code in ("RL101", "RL102") and table.known(i.subject, old)]
    if not dropped:
        return
    names: list[str] = []
    related = []
    for issue in dropped:
        names += _described(after, table, issue.subject, old, new)
        related.append(Related(issue.span, f"{issue.subject}: set here, dropped by the upgrade"))
    count = f"{len(dropped)} key{'s' if len(dropped) > 1 else ''}"
    message = (f"the chart goes from {after.chart} {format_semver(old)} ({base_label(change)}) to {format_semver(new)}, "
               f"which no longer reads {count} these values set: {', '.join(names)}; the upgrade silently drops those "
               "settings and the chart's defaults apply instead")
    renames = [n for n in names if "(now " in n]
    fix = ("Rename them in the same change: " + ", ".join(n.replace(" (now ", " → ").rstrip(")") for n in renames)
           if renames else "Remove them, and set what they did the way the new chart reads it")
    span = version_span(after, change.head.doc, image=False) or dropped[0].span
    yield Hit(message, span, fix, tuple(related), subject="chart-version")


RULE = define("RL103", "values-dropped-by-upgrade", "values", Severity.WARNING, __doc__, check,
              tags=("chart", "change", "upgrade"), scope="transition")
