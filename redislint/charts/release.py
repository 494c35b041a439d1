"""What a wrapper tells us about one chart deployment (`Release`), and which chart and server versions it runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from redislint.charts.values_view import ValuesView
from redislint.charts.version_evidence import (
    ChartVersions,
    Pin,
    chart_versions,
    unknown_because,
)
from redislint.model import Span
from redislint.redisconf.versions import Flavor
from redislint.target import Assumption, Unresolved, ValuesIssue, VersionPin


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """What a wrapper (HelmRelease, Application, values file) tells us about one chart deployment.

    Keyword-built and frozen: change one with `dataclasses.replace`.
    """

    path: str
    name: str
    kind: str
    chart: str  # the deployment kind's id (`redislint.kinds.registry`): bitnami/redis, bitnami/valkey, redis-ha …
    version_constraint: str | None
    view: ValuesView
    anchor: Span
    values_anchor: Span | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    annotation_spans: dict[str, Span] = field(default_factory=dict)
    unresolved: tuple[Unresolved, ...] = ()
    redis_version_override: str | None = None
    chart_version_override: str | None = None
    # Values the wrapper itself ignores (Argo CD `helm.values` next to `valuesObject`): RL102.
    issues: tuple[ValuesIssue, ...] = ()
    # What the wrapper assumed about the chart (a chartRef not among the inputs, a chart in Git,
    # an umbrella chart's own defaults).
    assumptions: tuple[Assumption, ...] = ()
    # Version constraints other inputs put on these values (a HelmRelease that uses this values file).
    pins: tuple[Pin, ...] = ()
    # For a subchart: the chart that bundles it, as written ("authentik"), and the version pinned for it.
    parent: str = ""
    parent_constraint: str | None = None
    pin: VersionPin | None = None  # how the wrapper pins the chart version (RL104)


def release_versions(rel: Release, flavor: Flavor = "redis") -> ChartVersions:
    """The release whose defaults are used, the releases still possible, the Redis (or Valkey, by
    `flavor`) version, and what that assumes (`version_evidence.chart_versions`)."""
    wrapped = rel.kind in ("HelmRelease", "Application")
    return chart_versions(rel.chart, rel.kind, rel.version_constraint, rel.view,
                          chart_override=rel.chart_version_override, redis_override=rel.redis_version_override,
                          pins=rel.pins, unknown_because=unknown_because(rel), where=rel.anchor if wrapped else None,
                          flavor=flavor)
