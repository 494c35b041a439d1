"""Argo CD renders a Bitnami chart that generates its Redis password: every sync makes a new one.

## What it does
Reports a Bitnami redis or valkey release (or a subchart of an umbrella chart) deployed by an Argo CD
Application or ApplicationSet with authentication on (`auth.enabled`, the default) and no password of
its own: no `auth.existingSecret`, `auth.password` or `global.redis.password` (`global.valkey.password`;
before redis 14.0.0 `usePassword`, `password`, `existingSecret`). A Flux HelmRelease is not reported:
helm-controller installs and upgrades against the cluster, where the chart's `lookup` finds the
Secret it created and keeps its password.

## Why is this bad?
Without a password the chart makes one with `randAlphaNum` and keeps it across upgrades only through
Helm's `lookup` of the existing Secret. Argo CD renders charts with `helm template`, where `lookup`
returns nothing (https://github.com/helm/helm/issues/9309; Argo CD's own docs, "Random Data", and the
open https://github.com/argoproj/argo-cd/issues/5202): each sync writes a new password into the Secret,
the pods roll (the chart puts a checksum of the Secret on them) and clients holding the old password get
`WRONGPASS`. Reported with the Bitnami subchart of NetBox (https://github.com/netbox-community/netbox-chart/issues/170),
of paperless-ngx (https://github.com/gabe565/charts/pull/608) and of Gloo
(https://github.com/kgateway-dev/kgateway/issues/8964).

## Example
```yaml profile=baseline
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: redis
spec:
  source:
    repoURL: registry-1.docker.io/bitnamicharts
    chart: redis
    targetRevision: 19.6.4
    helm:
      valuesObject:
        architecture: standalone
```

## Use instead
```yaml profile=baseline
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: redis
spec:
  source:
    repoURL: registry-1.docker.io/bitnamicharts
    chart: redis
    targetRevision: 19.6.4
    helm:
      valuesObject:
        architecture: standalone
        auth:
          existingSecret: redis-auth
```

## Fix
Create the Secret yourself (a SealedSecret, an ExternalSecret, SOPS) and name it in
`auth.existingSecret`; or give `auth.password` from a secret store. `ignoreDifferences` on the Secret
with `RespectIgnoreDifferences=true` only hides the rotation: suppress this finding with that reason
if you rely on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define

if TYPE_CHECKING:
    from redislint.charts.values_view import ValuesView
    from redislint.profiles import Profile
    from redislint.target import Target

ARGO_KINDS = ("Application", "ApplicationSet")


def _set(view: ValuesView, path: str) -> bool:
    found = view.get(path)
    return found is not None and found.value not in (None, "", {})


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    view = target.values
    if target.kind not in ARGO_KINDS or view is None or not target.chart.startswith("bitnami/"):
        return
    major = (target.chart_version or "").split(".")[0]
    legacy = target.chart == "bitnami/redis" and major.isdigit() and int(major) < 14
    flavor = "valkey" if target.chart == "bitnami/valkey" else "redis"
    enabled_key, keys = (("usePassword", ("password", "existingSecret", "global.redis.password")) if legacy else
                         ("auth.enabled", ("auth.password", "auth.existingSecret", f"global.{flavor}.password")))
    if view.value(enabled_key, True) is False or any(_set(view, k) for k in keys):
        return
    span = view.anchor(enabled_key, enabled_key.split(".")[0]) or target.values_anchor or target.anchor
    # A subchart's keys sit under its alias in the umbrella chart's values (`redis.auth.existingSecret`).
    alias = next((".".join(layer.prefix) + "." for layer in view.layers if layer.prefix), "")
    shown = [k if k.startswith("global.") else alias + k for k in keys]
    yield Hit(f"{target.chart} generates the Redis password when {shown[0]} and {shown[1]} are empty, and keeps it "
              "only through Helm's lookup of its Secret; Argo CD renders with `helm template`, where lookup "
              "finds nothing, so every sync writes a new password, rolls the pods and locks out clients that hold "
              "the old one",
              span, f"Create the Secret yourself and set {shown[1]} (or give {shown[0]} from a secret store)",
              subject=shown[1])


RULE = define("RL802", "password-regenerated-on-sync", "security", Severity.ERROR, __doc__, check,
              tags=("security", "argocd", "auth"))
