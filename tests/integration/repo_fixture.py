"""A generated GitOps repository whose files refer to each other, for the repository-index tests.

Deterministic: releases with their values ConfigMaps (beside them, or in a shared directory), an
Argo CD Application reading a value file of another source, a StatefulSet mounting a ConfigMap of
another file, and files that refer to nothing. `bad=True` writes problems only the references
reveal: in a ConfigMap's values a trailing comment and a directive the release's Redis version
lacks (RL013, RL016 once the release that names the chart version reads them), a redis.conf
ConfigMap whose trailing comment only the StatefulSet that mounts it runs.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENVS = ("dev", "prod")
# Settings of the generated repository: the config-validity rules (stable whatever the profiles
# say), failing on warnings too, so unresolved references (RL003) fail the run.
CONFIG = "select: [RL0]\nfail-on: warning\n"


def _release(name: str, ns: str) -> str:
    return f"""apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: {name}
  namespace: {ns}
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: 19.6.4
      sourceRef:
        kind: HelmRepository
        name: bitnami
        namespace: flux-system
  valuesFrom:
    - kind: ConfigMap
      name: {name}-values
  values:
    architecture: standalone
    master:
      resources:
        limits:
          memory: 2Gi
        requests:
          memory: 2Gi
"""


def _values_configmap(name: str, ns: str, bad: bool) -> str:
    # A trailing comment (RL013), and a directive Redis 7.2 (chart 19.6.4, named only by the release)
    # does not have (RL016): alone, the ConfigMap's Redis version is unknown.
    save = "save 900 1 # every 15 min\n        cluster-slot-stats-enabled no" if bad else "save 900 1"
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-values
  namespace: {ns}
data:
  values.yaml: |
    master:
      persistence:
        size: 8Gi
      configuration: |
        {save}
        appendonly yes
        appendfsync everysec
        maxmemory 512mb
        maxmemory-policy allkeys-lru
"""


APPLICATION = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: sessions
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: sessions
  sources:
    - chart: redis
      repoURL: https://charts.bitnami.com/bitnami
      targetRevision: 19.6.4
      helm:
        valueFiles:
          - $values/envs/prod/sessions-values.yaml
    - repoURL: https://git.example.com/platform/deploy.git
      targetRevision: main
      ref: values
"""


def _app_values(bad: bool) -> str:
    extra = "appendfsync sometimes" if bad else "appendfsync everysec"
    return f"""architecture: standalone
master:
  configuration: |
    save 900 1
    appendonly yes
    {extra}
  resources:
    limits:
      memory: 1Gi
"""


STATEFULSET = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: queue
  namespace: queue
spec:
  serviceName: queue
  replicas: 1
  selector:
    matchLabels: {app: queue}
  template:
    metadata:
      labels: {app: queue}
    spec:
      containers:
        - name: redis
          image: redis:7.2.4
          command: ["redis-server", "/etc/redis/redis.conf"]
          volumeMounts:
            - name: config
              mountPath: /etc/redis
      volumes:
        - name: config
          configMap:
            name: queue-conf
"""


def _mounted_conf(bad: bool) -> str:
    save = "save 60 1000 # each minute" if bad else "save 60 1000"
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: queue-conf
  namespace: queue
data:
  redis.conf: |
    {save}
    appendonly yes
"""


LONE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: legacy
resources:
  - release.yaml
configMapGenerator:
  - name: legacy-values
    files:
      - values.yaml
"""

LEGACY_RELEASE = """apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: legacy
spec:
  chart:
    spec:
      chart: redis
      version: 16.13.2
  valuesFrom:
    - kind: ConfigMap
      name: legacy-values
"""

# A plain values file that a kustomization makes into the ConfigMap a release reads: the release's
# chart (16.13.2: Redis 6.2) says which Redis reads it, so only with both does RL016 show.
LEGACY_VALUES = """architecture: standalone
master:
  configuration: |
    appendonly yes
    hash-max-listpack-entries 128
"""


def write_repository(root: Path, pairs: int = 24, bad: bool = False) -> list[str]:
    """Write the repository under `root` (git initialised, every file added); its files, relative."""
    files: dict[str, str] = {".redislint.yaml": CONFIG}
    for i in range(pairs):
        env = ENVS[i % len(ENVS)]
        name, ns = f"cache-{i:02d}", f"team-{i % 5}"
        files[f"clusters/{env}/{name}/release.yaml"] = _release(name, ns)
        # Every third ConfigMap lives in a shared directory, away from its release.
        where = f"clusters/{env}/shared/{name}-values.yaml" if i % 3 == 0 else f"clusters/{env}/{name}/values.yaml"
        files[where] = _values_configmap(name, ns, bad and i % 4 == 1)
    files["apps/sessions/application.yaml"] = APPLICATION
    files["envs/prod/sessions-values.yaml"] = _app_values(bad)
    files["apps/queue/statefulset.yaml"] = STATEFULSET
    files["apps/queue-config/configmap.yaml"] = _mounted_conf(bad)
    files["apps/web/deployment.yaml"] = LONE
    # A chart of the repository's own: its templates are Go templates, not YAML (never RL001).
    files["charts/cache/Chart.yaml"] = "apiVersion: v2\nname: cache\nversion: 0.1.0\n"
    files["charts/cache/templates/configmap.yaml"] = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                      "  name: {{ .Release.Name }}\ndata:\n"
                                                      "{{- toYaml .Values.data | nindent 2 }}\n")
    if bad:  # the generated ConfigMap is no file: the release's valuesFrom is RL003 whatever else is right
        files["apps/legacy/kustomization.yaml"] = KUSTOMIZATION
        files["apps/legacy/release.yaml"] = LEGACY_RELEASE
        files["apps/legacy/values.yaml"] = LEGACY_VALUES
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "generated")
    return sorted(rel for rel in files if rel.endswith(".yaml") and not rel.startswith("."))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}).stdout
