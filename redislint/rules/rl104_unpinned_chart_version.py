"""The chart version or the image tag floats: a reconcile installs a release whose keys or data format differ.

## What it does
Reads how a Flux HelmRelease (`spec.chart.spec.version`) or an Argo CD Application (`targetRevision` of
a Helm chart) pins a chart redislint models (Bitnami redis and valkey, redis-ha), and reports:
- no version (Flux installs the newest release), `*`, or a range that admits another major (`>=19`,
  `19.x || 20.x`, a range that known releases of two majors satisfy): the next major installs itself at
  the next reconcile, and majors rename keys (Bitnami redis 14 `slave` → `replica`, Bitnami valkey 2
  `master` → `primary`, redis-ha 3), change defaults (Bitnami redis 19 resource presets) or move the
  Redis line;
- a range inside one major whose releases still run different Redis lines (Bitnami redis 17.15.4 to
  17.17.0 shipped Redis 7.2 and 17.17.1 went back to 7.0), one level lower;
- a floating image tag (`latest`, none, or a major alone such as `7-alpine`) on a role that persists to
  a volume.
Exact versions, digests and Git sources (whose version is what the revision holds) are not reported.

## Why is this bad?
A newer Redis writes an RDB format an older one refuses ("Can't handle RDB format version 12"), so a
release that moves the Redis line forward and back leaves the data unreadable: a minor bump of the
argo-cd chart went from Redis 7.4 back to 7.2 (https://github.com/argoproj/argo-helm/issues/3272); a
node's older cached `redis:latest` refused the RDB the newer one wrote
(https://github.com/lsst-sqre/phalanx/pull/6931); a Bitnami patch release went back from 7.2 to 7.0 and
the master restarted forever (https://github.com/bitnami/charts/issues/18941). Majors rename keys that
then silently do nothing: Bitnami redis 14 was "not backwards compatible" for
https://github.com/SwissDataScienceCenter/renku/pull/2893, and valkey 2.0 renamed every `master*` key
(https://github.com/bitnami/charts/pull/30024). Pin "so a pod restart won't silently upgrade someone's
redis installation" (https://github.com/ansible/awx-operator/pull/959).

## Example
```yaml profile=critical
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
spec:
  chart:
    spec:
      chart: redis
      version: ">=19.0.0"
  values:
    architecture: standalone
```

## Use instead
```yaml profile=critical
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
spec:
  chart:
    spec:
      chart: redis
      version: 19.6.4
  values:
    architecture: standalone
```

## Fix
Pin the exact chart release (`version: 19.6.4`, `targetRevision: 19.6.4`) and move to a new one in a
reviewed change, reading the chart's upgrade notes for a new major; pin the image to a full version
(`7.2.5`, or a digest).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.charts.version_evidence import UNPINNED
from redislint.charts.versions import format_semver, parse_semver, releases, satisfies
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import save_points
from redislint.rules._lifecycle import one_level_lower
from redislint.rules.rl803_frozen_or_unsupported_image import parse_image

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# What a new major of each chart did, for the message.
MAJORS = {
    "bitnami/redis": "14.0.0 renamed slave.* to replica.*, 16.0.0 moved the ports, 19.0.0 added resource presets",
    "bitnami/valkey": "2.0.0 renamed every master* key to primary*",
    "redis-ha": "3.0.0 renamed replicas.servers and other keys",
}
# A tag that names a full version: 7.2.5, 7.2.5-alpine, 7.2.5-debian-12-r0, v7.2.5.
_FULL_TAG = re.compile(r"^v?\d+\.\d+(\.\d+)?([-_.].*)?$")


def _lines(chart: str, constraint: str) -> tuple[set[int], set[str]]:
    """Majors of the chart and Redis lines (major.minor) of the known releases the constraint admits."""
    majors: set[int] = set()
    lines: set[str] = set()
    for rel in releases(chart):
        if satisfies(rel.version, constraint):
            majors.add(rel.version[0])
            parts = rel.app_version.split(".")
            if len(parts) >= 2:
                lines.add(".".join(parts[:2]))
    return majors, lines


def _pin_hits(target: Target, profile: Profile) -> Iterator[Hit]:
    pin = target.pin
    if pin is None or target.chart not in MAJORS:
        return
    constraint = pin.constraint.strip()
    where = "spec.chart.spec.version" if pin.installer == "Flux" else "targetRevision"
    renames = MAJORS[target.chart]
    known = releases(target.chart)
    if not known:
        return
    if constraint in UNPINNED:
        what = "No chart version is pinned" if not pin.written else f"The chart version is {constraint!r}"
        yield Hit(f"{what}: {pin.installer} installs the newest {target.chart} release at every reconcile, new majors "
                  f"included ({renames}); values it no longer reads are dropped silently and the Redis line can "
                  "move, with an RDB format older releases refuse",
                  pin.span, f"Pin {where} to an exact release (the newest known is {format_semver(known[-1].version)})",
                  subject=where)
        return
    if parse_semver(constraint) is not None and not re.search(r"[xX*<>=~^|, ]", constraint):
        return  # an exact release
    majors, lines = _lines(target.chart, constraint)
    newest = known[-1].version
    open_ended = satisfies((newest[0] + 1, 0, 0), constraint)
    if open_ended or len(majors) > 1:
        span_text = ("no upper bound, so the next major installs itself" if open_ended else
                     f"it admits majors {', '.join(str(m) for m in sorted(majors))}")
        yield Hit(f"The chart version range {constraint!r} has {span_text} at a reconcile ({renames}); values "
                  "the new major no longer reads are dropped silently",
                  pin.span, f"Pin {where} to an exact release and upgrade majors in a reviewed change",
                  subject=where)
        return
    if len(lines) > 1:
        yield Hit(f"The chart version range {constraint!r} stays in one major, but its releases run Redis "
                  f"{', '.join(sorted(lines))}: a reconcile can move the Redis line, and a later release that moves "
                  "it back cannot read the RDB the newer one wrote",
                  pin.span, f"Pin {where} to an exact release", subject=where,
                  severity=one_level_lower(profile, "RL104"))


def _image_hits(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.image.value or not facts.persistent.value:
        return
    persists = (target.value("appendonly") or "no").lower() == "yes" or bool(save_points(target))
    if not persists:
        return
    image = parse_image(str(facts.image.value))
    if image.digest or (not image.tag and target.chart):
        return  # a digest, or the chart's own versioned default tag
    tag = image.tag or "latest"
    if tag != "latest" and _FULL_TAG.match(tag):
        return
    span = facts.image.span if facts.image.span is not None else target.anchor
    yield Hit(f"The image tag {tag!r} floats: a pod rescheduled onto a node with another cached {tag!r} (or after "
              "the tag moves) runs another Redis on the same volume, and an older one refuses the RDB a newer one "
              "wrote",
              span, "Pin the image to the full version the pods run now (`redis-cli INFO server`: redis_version; a "
              "newer one cannot be rolled back once it has written its RDB), by tag or digest, from a registry that "
              "still serves it", subject="image")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    yield from _pin_hits(target, profile)
    yield from _image_hits(target, profile)


RULE = define("RL104", "unpinned-chart-version", "values", Severity.WARNING, __doc__, check,
              tags=("values", "upgrade", "supply-chain"))
