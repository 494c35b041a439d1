"""What popular umbrella charts set for the Redis or Valkey subchart they bundle (a small, sourced table).

An application chart that depends on bitnami/redis (or bitnami/valkey) has its own `redis:` block in
its values.yaml: Helm merges it between the subchart's defaults and the user's values. A HelmRelease
of such a chart that says nothing about, say, `redis.architecture` gets the parent's choice, not the
subchart's. For a parent listed here redislint applies those values as the lowest layer and, when the
release pins the parent release that was read, takes the subchart version from its Chart.yaml; for
any other parent the conclusions that depend on the subchart's defaults say they assume them.

Only keys that change what redislint judges are recorded (enabled, architecture, replica counts,
persistence, resources, auth.enabled); passwords and host names are left out. Each entry names the
repository, the path and the commit read, and the parent chart version when Chart.yaml at that very
commit was available (otherwise `parent_version` is empty and `note` says what is known).

Not listed, on purpose: Harbor and Apache Airflow's official chart run Redis from their own
templates (no Bitnami subchart); Argo CD's `redis:` is its own single Deployment and its HA option
is the redis-ha chart under `redis-ha:`; GitLab's chart is not among the sources available here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from redislint.assumptions import CHART_DEFAULTS
from redislint.charts.values_view import SetLayer, ValuesLayer, ValuesView, value_node
from redislint.charts.version_evidence import Pin
from redislint.charts.versions import parse_semver
from redislint.model import Span
from redislint.target import PARENT_DEFAULTS, Assumption


class Dependency(NamedTuple):
    """The subchart version one release of the parent pins in its Chart.yaml."""

    parent_version: str
    version: str
    source: str  # where that Chart.yaml was read


class ParentDefaults(NamedTuple):
    """One parent chart's values for its bundled Redis/Valkey subchart, and where they were read."""

    parent: str  # the parent chart's name, as the last segment of a chart reference
    alias: str  # the values key of the subchart
    chart: str  # bitnami/redis or bitnami/valkey
    values: dict[str, Any]  # what the parent's values.yaml sets under `alias` (keys that matter here)
    source: str  # repository, path and commit the values were read from
    parent_version: str = ""  # the parent chart version at that commit ("" when Chart.yaml was not available)
    dependencies: tuple[Dependency, ...] = ()  # subchart versions pinned by known parent releases
    note: str = ""


PARENTS: tuple[ParentDefaults, ...] = (
    ParentDefaults(
        "authentik", "redis", "bitnami/redis",
        {"enabled": False, "architecture": "standalone", "auth": {"enabled": False}},
        "goauthentik/helm charts/authentik/values.yaml at 01e27e672b38", "2022.12.0",
        (Dependency("2022.12.0", "15.7.6", "goauthentik/helm charts/authentik/Chart.yaml at 01e27e672b38"),),
        note="later releases also set master/replica.resourcesPreset none (values.yaml at 006914caf02b)"),
    ParentDefaults(
        "nextcloud", "redis", "bitnami/redis",
        {"enabled": False, "auth": {"enabled": True}},
        "nextcloud/helm charts/nextcloud/values.yaml at 01c0f61e553d", "2.12.0",
        (Dependency("2.12.0", "15.6.*", "nextcloud/helm charts/nextcloud/Chart.yaml at 01c0f61e553d"),
         Dependency("3.5.7", "16.12.*", "nextcloud/helm charts/nextcloud/Chart.yaml at 00b4e99adf56"))),
    ParentDefaults(
        "n8n", "valkey", "bitnami/valkey",
        {"enabled": False},
        "8gears/n8n-helm-chart charts/n8n/values.yaml at b4de68f149e2", "1.0.8",
        (Dependency("1.0.8", "2.4.7", "8gears/n8n-helm-chart charts/n8n/Chart.yaml at b4de68f149e2"),)),
    ParentDefaults(
        "sentry", "redis", "bitnami/redis",
        {"enabled": True, "replica": {"replicaCount": 1}, "auth": {"enabled": False, "sentinel": False},
         "master": {"persistence": {"enabled": True}}},
        "sentry-kubernetes/charts charts/sentry/values.yaml at 00eacac74839", "",
        (Dependency("25.1.0", "17.11.3", "sentry-kubernetes/charts charts/sentry/Chart.yaml at 0253f7d4fc50"),)),
    ParentDefaults(
        "immich", "redis", "bitnami/redis",
        {"enabled": False, "architecture": "standalone", "auth": {"enabled": False}},
        "immich-app/immich-charts charts/immich/values.yaml at 04979caead87 (image v1.119.0)", "",
        (Dependency("0.9.4", "19.5.3", "immich-app/immich-charts charts/immich/Chart.yaml at 00ba8743b2e2"),)),
    ParentDefaults(
        "mastodon", "redis", "bitnami/redis",
        {"enabled": True},
        "mastodon/chart values.yaml at 0072b14a6a7f", "",
        (Dependency("6.7.0", "22.0.7", "mastodon/chart Chart.yaml at 00a7bb0fbd55"),
         Dependency("4.6.0", "17.14.6", "mastodon/chart charts/mastodon/Chart.yaml at 0700b946fec4"))),
)


def parent_defaults(chart_name: str, alias: str) -> ParentDefaults | None:
    """The entry for a parent chart reference ("authentik", "oci://ghcr.io/goauthentik/helm/authentik")."""
    name = chart_name.rstrip("/").rsplit("/", 1)[-1].lower()
    return next((p for p in PARENTS if p.parent == name and p.alias == alias), None)


def described(values: dict[str, Any], prefix: str = "") -> list[str]:
    """"architecture standalone", "auth.enabled false" … for messages."""
    out: list[str] = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out += described(value, path + ".")
        else:
            shown = "true" if value is True else "false" if value is False else str(value)
            out.append(f"{path} {shown}")
    return out


def parent_layer(entry: ParentDefaults, span: Span) -> ValuesLayer:
    """The parent's values as a values layer (lowest priority) whose keys all point at `span`."""
    layer = SetLayer(span)
    for path, value in _leaves(entry.values):
        layer.set([entry.alias, *path], value_node(value, str(value), span), span)
    # `assigned`: nobody wrote these blocks in the inputs; findings about absent keys point elsewhere.
    return ValuesLayer(f"chart {entry.parent} defaults", layer.build(), (entry.alias,), assigned=True)


def _leaves(values: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out: list[tuple[tuple[str, ...], Any]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            out += _leaves(value, prefix + (key,))
        else:
            out.append((prefix + (key,), value))
    return out


def with_parent_defaults(release):  # (Release) -> tuple[Release, tuple[Assumption, ...]]
    """A subchart release with its parent's values applied (when the parent is known), the subchart
    version its parent pins as evidence, and the assumption that says which defaults were used."""
    if not release.parent:
        return release, ()
    prefixes = {layer.prefix for layer in release.view.layers}
    alias = next(iter(prefixes))[0] if len(prefixes) == 1 and len(next(iter(prefixes))) == 1 else ""
    name = release.parent.rstrip("/").rsplit("/", 1)[-1]
    entry = parent_defaults(release.parent, alias) if alias else None
    where = release.values_anchor or release.anchor
    if entry is None or entry.chart != release.chart:
        return release, (Assumption(
            PARENT_DEFAULTS, f"chart {name} bundles {release.chart} under `{'.'.join(next(iter(prefixes), ()))}:`, "
            f"and its own values for that subchart are not known to redislint: conclusions that depend on "
            f"defaults assume {release.chart}'s own wherever these values say nothing", where, name,
            affects=frozenset({CHART_DEFAULTS})),)
    view = ValuesView([parent_layer(entry, where)] + list(release.view.layers))
    pins = tuple(release.pins)
    dependency = _pinned(entry, release.parent_constraint)
    if dependency is not None:
        pins += (Pin(dependency.version, f"chart {name} {dependency.parent_version} ({dependency.source})"),)
    settings = [s for s in described(entry.values) if s != "enabled true"]
    read_at = f"{name} {entry.parent_version}" if entry.parent_version else "a copy of its values.yaml"
    message = (f"chart {name} bundles {release.chart} under `{alias}:`"
               + (f" and sets {', '.join(settings)} for it" if settings else
                  f" and sets nothing for it that redislint judges, so {release.chart}'s own defaults apply")
               + f" (read at {read_at}; other releases of {name} may differ)")
    if entry.values.get("enabled") is False and release.view.value("enabled") is not True:
        message += (f"; these values do not set {alias}.enabled, so unless something else does, {name} "
                    "deploys no Redis and these values have no effect")
    evidence = tuple(e for e in (entry.source, entry.note) if e)
    return replace(release, view=view, pins=pins), (Assumption(
        PARENT_DEFAULTS, message, where, name, evidence, frozenset({CHART_DEFAULTS})),)


def _pinned(entry: ParentDefaults, constraint: str | None) -> Dependency | None:
    """The dependency of the parent release `constraint` pins exactly, if that release is known."""
    version = parse_semver(constraint) if constraint else None
    if version is None or any(ch in (constraint or "") for ch in "xX*<>=~^|, "):
        return None
    return next((d for d in entry.dependencies if parse_semver(d.parent_version) == version), None)
