"""The Redis image is gone or frozen: a versioned docker.io/bitnami tag, a bitnamilegacy image, or an unmaintained operator.

## What it does
Reads the image each Redis pod pulls (a Bitnami chart's `global.imageRegistry`, `image.registry`,
`image.repository`, `image.tag` and their defaults; a workload's `image`) and reports:
- a versioned tag of `docker.io/bitnami/*` or `public.ecr.aws/bitnami/*`: Bitnami moved those tags to
  `docker.io/bitnamilegacy` from 2025-08-28 and removed them (Docker Hub from 2025-09-29, AWS ECR Public
  on 2026-06-10), so a pod that lands on a node without the image cached cannot start;
- a `bitnamilegacy/*` image: it still pulls, but is frozen (no security fixes since 2025-08-28); on
  Bitnami redis 20.5.0 to 22.0.1 the chart also refuses to install it unless
  `global.security.allowInsecureImages: true`;
- any other image substituted into Bitnami redis 20.5.0 or later without
  `global.security.allowInsecureImages: true`: the chart refuses to render ("Original containers have
  been substituted for unrecognized ones");
- a deployment kind whose project is no longer maintained (the spotahome redis-operator: last release
  v1.2.4 in December 2022, last commit August 2023).
Images from other registries (a mirror the organisation rebuilds) are left alone.

## Why is this bad?
Bitnami announced that from 2025-08-28 its free catalogue stops: versioned images move to the frozen
`bitnamilegacy` repository and only hardened `latest` images remain free
(https://github.com/bitnami/charts/issues/35164). The default image of the redis chart then failed to
pull (https://github.com/bitnami/charts/issues/36313); a Redis master stayed in ImagePullBackOff for
over two hours after a re-pull and took its applications down with it
(https://github.com/KBVE/kbve/pull/11825); more of the same in
https://github.com/chatwoot/chatwoot/issues/12735. Since December 2024 the charts refuse substituted
images unless `allowInsecureImages` is set (https://github.com/bitnami/charts/issues/30850). The
spotahome operator's maintainers said development had halted and nobody answered whether it is
still maintained (https://github.com/spotahome/redis-operator/issues/677).

## Example
```yaml profile=baseline
architecture: standalone
image:
  registry: docker.io
  repository: bitnami/redis
  tag: 7.2.4-debian-12-r9
```

## Use instead
```yaml profile=baseline
architecture: standalone
image:
  registry: registry.example.com
  repository: mirror/redis
  tag: 7.2.4-debian-12-r9
global:
  security:
    allowInsecureImages: true
```

## Fix
Move to an image someone maintains: the official `redis` or `valkey/valkey` image with a chart built
for it (redis-ha, valkey-io/valkey-helm, CloudPirates, groundhog2k), Bitnami Secure Images (paid), or
your own rebuilt mirror. As a stopgap, `image.repository: bitnamilegacy/redis` with
`global.security.allowInsecureImages: true` pulls again, but gets no security fixes. For spotahome,
move to a maintained operator (OT-CONTAINER-KIT redis-operator, or a maintained fork).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from redislint.charts.versions import parse_semver
from redislint.model import Severity
from redislint.rules._api import Hit, define

if TYPE_CHECKING:
    from redislint.facts import Fact
    from redislint.model import Span
    from redislint.profiles import Profile
    from redislint.target import Target

# Registries Bitnami stopped serving versioned tags from, and when.
RETIRED = {"docker.io": "moved to docker.io/bitnamilegacy from 2025-08-28 and deleted from Docker Hub",
           "registry-1.docker.io": "moved to docker.io/bitnamilegacy from 2025-08-28 and deleted from Docker Hub",
           "index.docker.io": "moved to docker.io/bitnamilegacy from 2025-08-28 and deleted from Docker Hub",
           "public.ecr.aws": "no longer served from AWS ECR Public since 2026-06-10"}
# Bitnami redis: image verification since 20.5.0 (common 2.28.0); a bitnamilegacy substitution only warns
# from 22.0.2 (common 2.31.4, bitnami/charts#35751).
VERIFIED_SINCE = (20, 5, 0)
LEGACY_ACCEPTED_SINCE = (22, 0, 2)


class Unmaintained(NamedTuple):
    """A deployment kind whose project stopped, and what to move to."""

    what: str
    alternative: str


# Deployment kinds (Target.chart ids) no one maintains; kinds-operators' kind ids plug in here.
UNMAINTAINED: dict[str, Unmaintained] = {
    "spotahome": Unmaintained("the spotahome redis-operator (last release v1.2.4 in December 2022, last commit in "
                              "August 2023; its maintainers halted development)",
                              "a maintained operator (OT-CONTAINER-KIT redis-operator, or a maintained fork such as "
                              "freshworks/redis-operator)"),
}


class Image(NamedTuple):
    registry: str
    repository: str
    tag: str
    digest: str


def parse_image(ref: str) -> Image:
    """`bitnami/redis:7.2` -> (docker.io, bitnami/redis, 7.2, "")."""
    name, _, digest = ref.partition("@")
    head, _, last = name.rpartition("/")
    repo_last, _, tag = last.partition(":")
    path = f"{head}/{repo_last}" if head else repo_last
    first, _, rest = path.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return Image(first.lower(), rest, tag, digest)
    return Image("docker.io", path if rest else f"library/{path}", tag, digest)


def _allow_insecure(target: Target) -> bool:
    return target.values is not None and target.values.value("global.security.allowInsecureImages") is True


def _span(target: Target, fact: Fact[str]) -> Span:
    if fact.span is not None:
        return fact.span
    if target.values is not None:
        found = target.values.anchor("image")
        if found is not None:
            return found
    return target.values_anchor or target.anchor


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    stopped = UNMAINTAINED.get(target.chart)
    if stopped is not None:
        yield Hit(f"This Redis is deployed by {stopped.what}: bugs and Kubernetes API changes are no longer fixed",
                  target.anchor, f"Move to {stopped.alternative}", subject="deployment kind")
        return
    if not facts.known or not facts.image.value:
        return
    image = parse_image(str(facts.image.value))
    span = _span(target, facts.image)
    owner, _, name = image.repository.partition("/")
    bitnami_chart = target.chart.startswith("bitnami/")
    version = parse_semver(target.chart_version or "") if target.chart == "bitnami/redis" else None
    verified = version is not None and version >= VERIFIED_SINCE
    default_repo = f"bitnami/{'valkey' if target.chart == 'bitnami/valkey' else 'redis'}"
    # A Bitnami chart's default tag is always a version ("7.2.4-debian-12-r9"); a bare image is `latest`.
    tag = image.tag or ("" if bitnami_chart else "latest")
    shown = (f"{image.registry}/{image.repository}:{tag}" if tag else
             f"{image.registry}/{image.repository} with the chart's versioned tag ({target.redis_version})")
    where = "The chart's default image" if facts.image.span is None else "The image"
    if owner == "bitnami" and image.registry in RETIRED and tag != "latest" and not image.digest:
        yield Hit(f"{where} is {shown}: Bitnami's versioned tags "
                  f"were {RETIRED[image.registry]}, so a pod scheduled on a node that has not cached it stays in "
                  "ImagePullBackOff and Redis does not start",
                  span, _fix(name, bitnami_chart, target), subject="image")
        return
    if owner == "bitnamilegacy":
        refused = bitnami_chart and verified and version is not None and version < LEGACY_ACCEPTED_SINCE \
            and not _allow_insecure(target)
        yield Hit(f"The image {image.repository} is Bitnami's frozen legacy copy: it gets no security fixes since "
                  "2025-08-28" + (f"; {target.chart} {target.chart_version} also refuses to install it without "
                                  "global.security.allowInsecureImages: true" if refused else ""),
                  span, _fix(name, bitnami_chart, target, stopgap=False) if not refused else
                  "Set global.security.allowInsecureImages: true for now, and plan the move to a maintained image "
                  f"({_alternatives(name)})", subject="image")
        return
    if bitnami_chart and verified and image.repository != default_repo and not _allow_insecure(target):
        yield Hit(f"image {image.repository} replaces the chart's {default_repo}, and {target.chart} "
                  f"{target.chart_version} refuses to render a substituted image (\"Original containers have been "
                  "substituted for unrecognized ones\") unless global.security.allowInsecureImages is true",
                  span, "Set global.security.allowInsecureImages: true", subject="image")


def _alternatives(name: str) -> str:
    official = "valkey/valkey" if name.startswith("valkey") else "redis"
    return (f"the official {official} image with a chart built for it (redis-ha, valkey-io/valkey-helm, CloudPirates, "
            "groundhog2k), Bitnami Secure Images, or a mirror you rebuild")


# The Bitnami chart's other containers, when switched on, pull from the same retired repositories;
# moving only `image` leaves those pods in ImagePullBackOff.
# (values key, image name: {flavor} is redis or valkey)
_SIDE_IMAGES = (("sentinel", "{flavor}-sentinel"), ("metrics", "redis-exporter"), ("volumePermissions", "os-shell"),
                ("sysctl", "os-shell"))


def _side_images(target: Target, name: str) -> list[str]:
    """`KEY.image.repository: bitnamilegacy/NAME` for each switched-on container of a Bitnami release."""
    if target.values is None:
        return []
    flavor = "valkey" if name.startswith("valkey") else "redis"
    out = []
    for key, image in _SIDE_IMAGES:
        if target.values.value(f"{key}.enabled") is True:
            out.append(f"{key}.image.repository: bitnamilegacy/{image.format(flavor=flavor)}")
    return out


def _fix(name: str, bitnami_chart: bool, target: Target | None = None, stopgap: bool = True) -> str:
    others = _side_images(target, name) if target is not None and bitnami_chart else []
    every = f" — and every other image the release pulls from Bitnami ({', '.join(others)})" if others else ""
    step = (f"; as a stopgap, image.repository: bitnamilegacy/{name}{every} with "
            "global.security.allowInsecureImages: true pulls again but is frozen") if stopgap and bitnami_chart and name \
        else (f"; the other images of this release come from Bitnami too: {', '.join(others)}" if others else "")
    return f"Move to a maintained image: {_alternatives(name)}{step}"


RULE = define("RL803", "frozen-or-unsupported-image", "supply-chain", Severity.WARNING, __doc__, check,
              tags=("supply-chain", "image", "kubernetes"))
