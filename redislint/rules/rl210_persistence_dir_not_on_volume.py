"""Redis writes its RDB and AOF (`dir`) outside the chart's data volume.

## What it does
For chart releases, resolves the effective `dir` the way Redis does (each `dir` line `chdir()`s,
so a relative path is taken from the previous one; the chart writes `dir <persistence.path>`
first) and reports when it is neither the role's `persistence.path` (where the chart mounts the
data volume, `/data` by default) nor a directory below it.

## Why is this bad?
`dir` is where `dump.rdb`, the AOF directory and the temporary rewrite files go. Outside the
mount they land on the container's filesystem: with the chart's default `readOnlyRootFilesystem`
Redis cannot write there at all (or cannot even start, when the directory does not exist), and
`/tmp` is an emptyDir that is wiped with the pod. Either way the PersistentVolume stays empty and
a restart comes back without data. Copying `dir /bitnami/redis/data` from the Bitnami image's own
redis.conf is the usual way in: the chart mounts the volume at `/data`.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    dir /bitnami/redis/data
```

## Use instead
```yaml
architecture: standalone
master:
  persistence:
    path: /bitnami/redis/data
```

## Fix
Remove the `dir` line and let the chart write `dir <persistence.path>` (runbook "Directories":
`dir /data`), or change `persistence.path` to the directory you want, so the volume is mounted there.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related, is_user_span, templated_keys

if TYPE_CHECKING:
    from collections.abc import Sequence

    from redislint.profiles import Profile
    from redislint.redisconf.evaluate import Assignment
    from redislint.target import Target


def resolve_dir(history: Sequence[Assignment]) -> str | None:
    """The working directory after Redis applied every `dir` assignment (relative ones chain)."""
    cwd: str | None = None
    for a in history:
        if a.line is None or not a.value:
            continue  # the built-in default: the process's working directory
        cwd = posixpath.normpath(posixpath.join(cwd or "/", a.value))
    return cwd


def _on(path: str, mount: str) -> bool:
    mount = posixpath.normpath(mount)
    return path == mount or path.startswith(mount.rstrip("/") + "/")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    # Charts only: for a hand-written workload the data path is derived from `dir` itself, and
    # RL401 reports a dir with no volume mounted at it.
    if not facts.known or not target.chart or "dir" in templated_keys(target):
        return
    setting = target.setting("dir")
    mount = str(facts.data_path.value or "")
    if setting is None or not mount.startswith("/"):
        return
    resolved = resolve_dir(setting.history)
    if resolved is None or _on(resolved, mount):
        return
    written = target.written("dir")
    shown = setting.value if resolved == setting.value else f"{setting.value} (resolved to {resolved})"
    key = facts.data_path.values_path
    where = key or facts.data_path.origin or "the chart"
    if key and not is_user_span(facts.data_path.span):
        where += ", chart default"
    volume = "persistent volume" if facts.persistent.value else "data volume (an emptyDir)"
    message = (f"dir is {shown}, but the {volume} is mounted at {mount} ({where}): dump.rdb and the AOF are "
               "written outside it, so they are lost with the pod, or Redis cannot write them at all")
    span = written.line.span if written is not None and written.line is not None \
        and is_user_span(written.line.span) else target.config_anchor
    related = fact_related(facts.data_path, "the data volume is mounted here")
    fix = f"Remove this `dir` line (the chart writes `dir {mount}`)"
    if key:
        fix += f", or move the volume with `{key}`"
    yield Hit(message, span, fix, related, subject="dir", causes=("persistence-on",))


RULE = define("RL210", "persistence-dir-not-on-volume", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "kubernetes", "volume"))
