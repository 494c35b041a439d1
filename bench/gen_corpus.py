#!/usr/bin/env python3
"""Deterministic corpus of Redis-on-Kubernetes configuration, for redislint's benchmarks and tests.

Standard library only; the same `--seed` always writes the same bytes (file names included).

  --out DIR --count N       N files under DIR/<cluster>/<team>/<app>/..., shaped like a GitOps
                            repository. `--mix` chooses what they are:
                              helmrelease  every file holds a Flux HelmRelease of bitnami/redis (some
                                           bitnami/valkey); some files add an OCIRepository it uses
                                           (chartRef), a values ConfigMap it reads (valuesFrom), a
                                           Namespace or a HelmRepository. References stay inside the
                                           file. This is the benchmark corpus ("1000 HelmReleases").
                              mixed        the variety of a real repository: HelmReleases (v2, v2beta1,
                                           v2beta2, sentinel, replication, standalone, valkey, pre-14
                                           charts), plain values files, Argo CD Applications,
                                           redis.conf files, ConfigMaps holding redis.conf, redis-ha
                                           values, a StatefulSet mounting its redis.conf, templated
                                           values, and references that cross files: an OCIRepository
                                           shared by several releases, values ConfigMaps and Secrets
                                           in a sibling file, a StatefulSet's ConfigMap in another
                                           file. A few files are broken on purpose (folded config
                                           block, duplicate key, typo, YAML syntax error).
  --big FILE --size SIZE    one multi-document stream of about SIZE bytes (100K, 1M, 5M; K and M
                            are binary), mostly HelmReleases with the occasional values ConfigMap
                            and OCIRepository next to the release that uses them.

Examples:
  python bench/gen_corpus.py --out /tmp/corpus --count 1000
  python bench/gen_corpus.py --out /tmp/mixed --count 300 --mix mixed
  python bench/gen_corpus.py --big /tmp/big-5m.yaml --size 5M
"""

from __future__ import annotations

import argparse
import os
import random
import sys

SEED = 7_2024

CLUSTERS = ("prod-eu", "prod-us", "staging", "dev", "sandbox")
TEAMS = ("checkout", "payments", "search", "identity", "catalog", "media", "ledger", "growth",
         "support", "maps", "ads", "notifications", "fraud", "ml-platform", "edge", "data")
PURPOSES = ("cache", "sessions", "queue", "ratelimit", "locks", "leaderboard", "pubsub", "jobs",
            "feature-flags", "tokens", "carts", "geo")
# bitnami/redis releases people pin (the versions table knows all of them).
REDIS_CHARTS = ("16.13.2", "17.3.8", "17.11.3", "18.1.2", "18.6.1", "18.19.4", "19.0.2", "19.6.4",
                "20.0.3", "20.1.0", "20.6.2", "21.0.0", "21.2.5", "22.0.1")
REDIS_CONSTRAINTS = ('"19.x"', '">=18.0.0 <19.0.0"', "~20.1.0", '"*"', "20.x.x")
VALKEY_CHARTS = ("1.0.0", "2.0.1", "2.4.7", "3.0.15")
LEGACY_CHARTS = ("10.7.11", "12.2.2", "13.0.1")
IMAGE_TAGS = ("7.2.5-debian-12-r0", "7.4.1", "7.0.15", "6.2.14-debian-11-r9", "8.0.2", "latest", "7.2")
STORAGE_CLASSES = ("gp3", "gp2-encrypted", "standard-rwo", "premium-rwo", "managed-csi", "longhorn",
                   "ceph-block", "local-path", "")
SIZES = ("512Mi", "1Gi", "2Gi", "5Gi", "8Gi", "10Gi", "20Gi", "50Gi")
MEMORY = ("64Mi", "128Mi", "256Mi", "512Mi", "768Mi", "1Gi", "1536Mi", "2Gi", "4Gi", "8Gi")
CPU = ("25m", "50m", "100m", "200m", "250m", "500m", "1", "2")
PRESETS = ("nano", "micro", "small", "medium", "large")
POLICIES = ("noeviction", "allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-lfu", "volatile-ttl",
            "allkeys-random")
FLUX_APIS = ("helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2",
             "helm.toolkit.fluxcd.io/v2beta2", "helm.toolkit.fluxcd.io/v2beta1")


class Gen:
    """One random stream; every choice goes through it, so output depends only on the seed."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def quoted(self, text: str) -> str:
        """People quote scalars inconsistently."""
        x = self.r.random()
        return f'"{text}"' if x < 0.12 else f"'{text}'" if x < 0.17 else text


# -- redis.conf ----------------------------------------------------------------------------------

def conf_lines(g: Gen, memory_mb: int, *, short: bool = False, mistakes: bool = True) -> list[str]:
    """A realistic redis.conf fragment: persistence first, then memory, then odds and ends."""
    out: list[str] = []
    mode = g.pick(("rdb", "aof", "both", "both", "none", "rdb"))
    if g.p(0.6):
        out.append(g.pick(("# Persistence", "## persistence settings", "# --- durability ---")))
    if mode in ("rdb", "both"):
        if g.p(0.25):
            out.append(g.pick(('save "900 1 300 10 60 10000"', "save 3600 1 300 100 60 10000")))
        else:
            out += [f"save {s}" for s in g.pick((("900 1", "300 10", "60 10000"), ("3600 1", "300 100"),
                                                 ("900 1",), ("60 1000",)))]
    else:
        out.append(g.pick(('save ""', "save ''", 'save ""')))
    if mode in ("aof", "both"):
        out.append("appendonly yes")
        out.append(f"appendfsync {g.pick(('everysec', 'everysec', 'everysec', 'always', 'no'))}")
        if g.p(0.4):
            out.append(f"auto-aof-rewrite-percentage {g.pick((0, 50, 100, 100, 200))}")
            out.append(f"auto-aof-rewrite-min-size {g.pick(('32mb', '64mb', '128mb', '1gb'))}")
        if g.p(0.3):
            out.append(f"no-appendfsync-on-rewrite {g.pick(('yes', 'no'))}")
    elif g.p(0.5):
        out.append("appendonly no")
    if g.p(0.5):
        out.append(g.pick(("# Memory", "# memory policy", "")))
    if g.p(0.8):
        unit = g.pick(("mb", "mb", "gb", "", "MB", "m"))
        if unit == "gb" and memory_mb >= 1024:
            out.append(f"maxmemory {memory_mb // 1024}gb")
        elif unit == "":
            out.append(f"maxmemory {memory_mb * 1024 * 1024}")
        else:
            out.append(f"maxmemory {memory_mb}{'mb' if unit == 'gb' else unit}")
    if g.p(0.75):
        out.append(f"maxmemory-policy {g.pick(POLICIES)}")
    extras = [
        f"maxmemory-samples {g.pick((3, 5, 10))}",
        f"stop-writes-on-bgsave-error {g.pick(('yes', 'no'))}",
        f"rdbcompression {g.pick(('yes', 'no'))}",
        f"rdbchecksum {g.pick(('yes', 'yes', 'no'))}",
        f"dbfilename {g.pick(('dump.rdb', 'redis.rdb'))}",
        f"tcp-keepalive {g.pick((0, 60, 300))}",
        f"timeout {g.pick((0, 0, 300, 3600))}",
        f"loglevel {g.pick(('notice', 'warning', 'verbose'))}",
        f"databases {g.pick((1, 16, 32))}",
        f"hz {g.pick((10, 20, 50, 100))}",
        "dynamic-hz yes",
        f"io-threads {g.pick((2, 4))}",
        f"slowlog-log-slower-than {g.pick((1000, 10000, 50000))}",
        f"slowlog-max-len {g.pick((128, 256, 1024))}",
        f"latency-monitor-threshold {g.pick((0, 50, 100))}",
        f"lazyfree-lazy-eviction {g.pick(('yes', 'no'))}",
        f"lazyfree-lazy-expire {g.pick(('yes', 'no'))}",
        f"activedefrag {g.pick(('yes', 'no'))}",
        'notify-keyspace-events "Ex"',
        f"client-output-buffer-limit pubsub {g.pick(('32mb 8mb 60', '64mb 16mb 90'))}",
        "repl-diskless-sync yes",
        f"repl-backlog-size {g.pick(('1mb', '16mb', '64mb'))}",
        f"min-replicas-to-write {g.pick((0, 1, 2))}",
        "min-replicas-max-lag 10",
        "rename-command KEYS \"\"",
        "rename-command CONFIG \"\"",
        "protected-mode yes",
        "# io-threads-do-reads yes",
        "# TODO: tune after the Black Friday load test",
        f"aof-use-rdb-preamble {g.pick(('yes', 'no'))}",
        "list-max-listpack-size -2",
        "set-max-intset-entries 512",
    ]
    if mistakes:
        extras += [g.pick(("maxmemory-polcy allkeys-lru", "appendonly yes # turn on AOF", "slave-read-only yes",
                           "hash-max-ziplist-entries 128", "replica-read-only yes", "lua-time-limit 5000",
                           "appendfsync everysec", "tcp-backlog 511"))] * (1 if g.p(0.15) else 0)
    g.r.shuffle(extras)
    out += extras[:g.r.randint(1, 4) if short else g.r.randint(3, 14)]
    return [x for x in out if x or g.p(0.5)]


def block(g: Gen, key: str, lines: list[str], indent: str, *, style: str | None = None) -> list[str]:
    style = style or g.pick(("|", "|", "|-", "|-", "|+"))
    return [f"{indent}{key}: {style}"] + [f"{indent}  {ln}" if ln else "" for ln in lines]


# -- values --------------------------------------------------------------------------------------

def resources(g: Gen, ind: str, *, preset_ok: bool = True) -> list[str]:
    if preset_ok and g.p(0.12):
        return [f"{ind}resourcesPreset: {g.pick(PRESETS)}"]
    if g.p(0.08):
        return [f"{ind}resources: {{}}"]
    req = g.r.randrange(len(MEMORY) - 2)
    out = [f"{ind}resources:", f"{ind}  requests:", f"{ind}    cpu: {g.quoted(g.pick(CPU))}",
           f"{ind}    memory: {MEMORY[req]}"]
    if g.p(0.8):
        out += [f"{ind}  limits:"]
        if g.p(0.4):
            out.append(f"{ind}    cpu: {g.quoted(g.pick(CPU[3:]))}")
        out.append(f"{ind}    memory: {MEMORY[min(len(MEMORY) - 1, req + g.r.randint(0, 3))]}")
    return out


def persistence(g: Gen, ind: str, enabled: bool) -> list[str]:
    out = [f"{ind}persistence:", f"{ind}  enabled: {g.pick(('true', 'yes', 'true')) if enabled else 'false'}"]
    if enabled or g.p(0.25):
        out.append(f"{ind}  size: {g.pick(SIZES)}")
        if g.p(0.7):
            sc = g.pick(STORAGE_CLASSES)
            out.append(f'{ind}  storageClass: "{sc}"' if not sc or g.p(0.2) else f"{ind}  storageClass: {sc}")
        if g.p(0.3):
            out += [f"{ind}  accessModes:", f"{ind}    - ReadWriteOnce"]
        if g.p(0.1):
            out.append(f"{ind}  medium: Memory")
        if g.p(0.15):
            out.append(f"{ind}  existingClaim: {g.pick(('redis-data', 'data-redis-0'))}")
        if g.p(0.15):
            out += [f"{ind}  annotations:", f"{ind}    backup.velero.io/backup-volumes: redis-data"]
    if g.p(0.2):
        out += [f"{ind}persistentVolumeClaimRetentionPolicy:", f"{ind}  enabled: true",
                f"{ind}  whenDeleted: {g.pick(('Retain', 'Delete'))}", f"{ind}  whenScaled: Retain"]
    return out


def role_block(g: Gen, role: str, ind: str, memory_mb: int, *, config_key: str = "configuration",
               count_key: str = "count", count: int | None = None, persist: bool = True) -> list[str]:
    out = [f"{ind}{role}:"]
    r = ind + "  "
    if count is not None:
        out.append(f"{r}{count_key}: {count}")
    if g.p(0.75):
        out += block(g, config_key, conf_lines(g, memory_mb, short=role != "master" and role != "primary"), r,
                     style=">" if g.p(0.01) else None)
    if g.p(0.15):
        out += [f"{r}extraFlags:", f"{r}  - --maxclients {g.pick((1000, 10000))}"]
        if g.p(0.5):
            out.append(f"{r}  - --{g.pick(('appendonly yes', 'save 60 1000', 'io-threads 2'))}")
    if g.p(0.2):
        out.append(f"{r}disableCommands: {g.pick(('[]', '[FLUSHALL]'))}")
    out += persistence(g, r, persist)
    out += resources(g, r)
    if g.p(0.3):
        out += [f"{r}podAnnotations:", f'{r}  prometheus.io/scrape: "true"', f'{r}  prometheus.io/port: "9121"']
    if g.p(0.2):
        out += [f"{r}nodeSelector:", f"{r}  node.kubernetes.io/instance-type: {g.pick(('m6i.large', 'r6g.xlarge'))}"]
    if g.p(0.2):
        out += [f"{r}tolerations:", f"{r}  - key: dedicated", f"{r}    operator: Equal",
                f"{r}    value: redis", f"{r}    effect: NoSchedule"]
    if g.p(0.15):
        out += [f"{r}podSecurityContext:", f"{r}  enabled: true", f"{r}  fsGroup: 1001"]
    if g.p(0.2):
        out += [f"{r}livenessProbe:", f"{r}  initialDelaySeconds: {g.pick((5, 20, 30))}",
                f"{r}  timeoutSeconds: 5"]
    if g.p(0.1):
        out += [f"{r}affinity: {{}}"]
    if g.p(0.1):
        out += [f"{r}updateStrategy:", f"{r}  type: RollingUpdate"]
    return out


def redis_values(g: Gen, ind: str, name: str, *, valkey: bool = False, legacy: bool = False,
                 templated: bool = False) -> list[str]:
    """A bitnami/redis (or valkey) values mapping, one level of indentation per `ind`."""
    v = ind
    memory_mb = g.pick((64, 128, 256, 512, 768, 1024, 2048, 3072))
    arch = g.pick(("standalone", "replication", "replication"))
    sentinel = arch == "replication" and g.p(0.3)
    persist = g.p(0.8)
    out: list[str] = []
    if g.p(0.25):
        out.append(f"{v}# {g.pick(('Managed by platform team', 'see runbook RB-112', 'keep in sync with staging'))}")
    if g.p(0.35):
        out += [f"{v}global:", f"{v}  imageRegistry: {g.pick(('registry.example.com', 'mirror.gcr.io'))}"]
        if g.p(0.5):
            out.append(f'{v}  {g.pick(("storageClass", "defaultStorageClass"))}: "{g.pick(STORAGE_CLASSES)}"')
    if g.p(0.25):
        out += [f"{v}image:", f"{v}  tag: {g.quoted(g.pick(IMAGE_TAGS))}"]
        if g.p(0.3):
            out.append(f"{v}  repository: bitnamilegacy/{'valkey' if valkey else 'redis'}")
    if g.p(0.1):
        out.append(f"{v}fullnameOverride: {name}")
    if legacy:
        out.append(f"{v}cluster:")
        out.append(f"{v}  enabled: {'true' if arch == 'replication' else 'false'}")
        out.append(f"{v}  slaveCount: {g.pick((1, 2, 3))}")
        out.append(f"{v}usePassword: {g.pick(('true', 'false'))}")
        if g.p(0.7):
            out += block(g, "configmap", conf_lines(g, memory_mb), v)
        out += role_block(g, "master", v, memory_mb, config_key="configmap", persist=persist)
        if arch == "replication":
            out += role_block(g, "slave", v, memory_mb, config_key="configmap", persist=persist)
        return out
    out.append(f"{v}architecture: {arch}")
    out += [f"{v}auth:", f"{v}  enabled: {'true' if g.p(0.85) else 'false'}"]
    if templated and g.p(0.7):
        out.append(f'{v}  password: "${{REDIS_PASSWORD}}"')
    elif g.p(0.55):
        out += [f"{v}  existingSecret: {name}-auth", f"{v}  existingSecretPasswordKey: redis-password"]
    elif g.p(0.4):
        out.append(f'{v}  password: "s3cr3t-{g.r.randrange(10_000)}"  # FIXME: move to a Secret')
    if sentinel:
        out.append(f"{v}  sentinel: {g.pick(('true', 'false'))}")
    if g.p(0.3):
        conf = conf_lines(g, memory_mb, short=True)
        out += block(g, "commonConfiguration", conf, v)
    primary = "primary" if valkey and g.p(0.8) else "master"
    count_key = "replicaCount" if valkey else "count"
    out += role_block(g, primary, v, memory_mb, count_key=count_key, count=1 if g.p(0.3) else None,
                      persist=persist)
    if arch == "replication" or g.p(0.15):
        out += role_block(g, "replica", v, memory_mb, count_key="replicaCount",
                          count=g.pick((1, 2, 3, 3, 5)), persist=persist if g.p(0.9) else not persist)
    if sentinel or g.p(0.15):
        out += [f"{v}sentinel:", f"{v}  enabled: {'true' if sentinel else 'false'}",
                f"{v}  quorum: {g.pick((2, 2, 3))}"]
        if g.p(0.4):
            out += [f"{v}  masterSet: {g.pick(('mymaster', 'redis-main'))}",
                    f"{v}  downAfterMilliseconds: {g.pick((5000, 30000, 60000))}"]
        if g.p(0.3):
            out += resources(g, v + "  ", preset_ok=False)
    if g.p(0.55):
        out += [f"{v}metrics:", f"{v}  enabled: {g.pick(('true', 'true', 'false'))}"]
        if g.p(0.6):
            out += [f"{v}  serviceMonitor:", f"{v}    enabled: true", f"{v}    interval: {g.pick(('30s', '1m'))}"]
        if g.p(0.3):
            out += [f"{v}  prometheusRule:", f"{v}    enabled: true", f"{v}    rules:",
                    f"{v}      - alert: RedisDown", f"{v}        expr: redis_up == 0", f"{v}        for: 2m",
                    f"{v}        labels:", f"{v}          severity: critical"]
    if g.p(0.3):
        out += [f"{v}networkPolicy:", f"{v}  enabled: {g.pick(('true', 'false'))}", f"{v}  allowExternal: false"]
    if g.p(0.2):
        out += [f"{v}volumePermissions:", f"{v}  enabled: true"]
    if g.p(0.2):
        out += [f"{v}pdb:", f"{v}  create: true", f"{v}  minAvailable: 1"]
    if g.p(0.15):
        out += [f"{v}serviceAccount:", f"{v}  create: true", f"{v}  automountServiceAccountToken: false"]
    if g.p(0.08):
        out += [f"{v}persistance:", f"{v}  enabled: true"]  # a typo people make
    if g.p(0.05):
        out.append(f"{v}architecture: {arch}")  # a duplicate key
    if g.p(0.15):
        out += [f"{v}extraDeploy:", f"{v}  - apiVersion: v1", f"{v}    kind: ConfigMap", f"{v}    metadata:",
                f"{v}      name: {name}-notes", f"{v}    data:", f"{v}      README: |",
                f"{v}        Owned by the platform team.", f"{v}        Ask in #redis before scaling down."]
    return out


# -- documents -----------------------------------------------------------------------------------

def metadata(name: str, ns: str | None, g: Gen, *, labels: bool = True) -> list[str]:
    out = ["metadata:", f"  name: {name}"]
    if ns:
        out.append(f"  namespace: {ns}")
    if labels and g.p(0.5):
        out += ["  labels:", f"    app.kubernetes.io/name: {name}", "    app.kubernetes.io/managed-by: flux"]
    if g.p(0.1):
        out += ["  annotations:", f"    redislint.io/profile: {g.pick(('cache', 'session', 'critical'))}"]
    elif g.p(0.04):
        out += ["  annotations:", "    redislint.io/ignore: RL301 -- sized by the operator"]
    return out


def oci_repo(name: str, chart: str, version: str, g: Gen) -> list[str]:
    ref = ["  ref:", f"    tag: {version}"] if g.p(0.6) else ["  ref:", f'    semver: ">={version.split(".")[0]}.0.0"']
    return (["apiVersion: source.toolkit.fluxcd.io/v1beta2" if g.p(0.3) else "apiVersion: source.toolkit.fluxcd.io/v1",
             "kind: OCIRepository"] + metadata(name, "flux-system", g, labels=False)
            + ["spec:", f"  interval: {g.pick(('1h', '12h', '24h'))}",
               "  layerSelector:", "    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip",
               "    operation: copy", f"  url: oci://registry-1.docker.io/bitnamicharts/{chart}"] + ref)


def values_configmap(name: str, ns: str, g: Gen, memory_mb: int) -> list[str]:
    conf = conf_lines(g, memory_mb, short=True, mistakes=False)
    lines = ["apiVersion: v1", "kind: ConfigMap"] + metadata(name, ns, g, labels=False) + [
        "data:", "  values.yaml: |", f"    architecture: {g.pick(('standalone', 'replication'))}",
        "    master:", "      configuration: |"] + [f"        {c}" for c in conf if c]
    if g.p(0.5):
        lines += ["      persistence:", f"        size: {g.pick(SIZES)}"]
    return lines


def values_secret(name: str, ns: str, g: Gen) -> list[str]:
    return (["apiVersion: v1", "kind: Secret"] + metadata(name, ns, g, labels=False) + [
        "type: Opaque", "stringData:", "  values.yaml: |", "    auth:",
        f"      password: {g.pick(('hunter2', 'correct-horse-battery', 'Zm9vYmFy'))}", "    replica:",
        f"      replicaCount: {g.pick((0, 1, 2))}"])


def helmrelease(g: Gen, name: str, ns: str, *, valkey: bool = False, legacy: bool = False,
                oci: str | None = None, values_cm: str | None = None, values_secret: str | None = None,
                templated: bool = False) -> list[str]:
    api = g.pick(FLUX_APIS)
    chart = "valkey" if valkey else "redis"
    version = g.pick(VALKEY_CHARTS if valkey else LEGACY_CHARTS if legacy else REDIS_CHARTS)
    version = g.quoted(version)
    if not valkey and not legacy and g.p(0.1):
        version = g.pick(REDIS_CONSTRAINTS)  # semver ranges, quoted where YAML needs it
    out = [f"apiVersion: {api}", "kind: HelmRelease"] + metadata(name, ns, g)
    out += ["spec:", f"  interval: {g.pick(('5m', '10m', '15m', '30m', '1h'))}"]
    if g.p(0.4):
        out.append(f"  timeout: {g.pick(('5m', '10m', '15m'))}")
    if g.p(0.3):
        out.append(f"  releaseName: {name}")
    if oci:
        out += ["  chartRef:", "    kind: OCIRepository", f"    name: {oci}"]
        if g.p(0.6):
            out.append("    namespace: flux-system")
    else:
        out += ["  chart:", "    spec:", f"      chart: {chart}", f"      version: {version}",
                "      sourceRef:", "        kind: HelmRepository",
                f"        name: {g.pick(('bitnami', 'bitnami-charts', 'bitnami-oci'))}",
                "        namespace: flux-system"]
        if g.p(0.4):
            out.append(f"      interval: {g.pick(('12h', '24h'))}")
    if g.p(0.4):
        out += ["  install:", "    remediation:", f"      retries: {g.pick((3, 5, -1))}", "  upgrade:",
                "    cleanupOnFail: true", "    remediation:", "      retries: 3"]
    if values_cm or values_secret or g.p(0.2):
        out.append("  valuesFrom:")
        if values_cm:
            out += ["    - kind: ConfigMap", f"      name: {values_cm}"]
            if g.p(0.3):
                out.append("      valuesKey: values.yaml")
        if values_secret:
            out += ["    - kind: Secret", f"      name: {values_secret}", "      valuesKey: values.yaml"]
        if not (values_cm or values_secret) or g.p(0.3):
            out += ["    - kind: Secret", f"      name: {name}-secret-values", "      valuesKey: values.yaml",
                    "      optional: true"]
    if g.p(0.03):
        out.append("  values: {}")
        return out
    out.append("  values:")
    out += redis_values(g, "    ", name, valkey=valkey, legacy=legacy, templated=templated)
    return out


def namespace_doc(ns: str) -> list[str]:
    return ["apiVersion: v1", "kind: Namespace", "metadata:", f"  name: {ns}", "  labels:",
            f"    toolkit.fluxcd.io/tenant: {ns}"]


def helmrepository_doc(g: Gen) -> list[str]:
    return ["apiVersion: source.toolkit.fluxcd.io/v1", "kind: HelmRepository", "metadata:", "  name: bitnami",
            "  namespace: flux-system", "spec:", f"  interval: {g.pick(('12h', '24h'))}", "  type: oci",
            "  url: oci://registry-1.docker.io/bitnamicharts"]


def argo_app(g: Gen, name: str) -> list[str]:
    out = ["apiVersion: argoproj.io/v1alpha1", "kind: Application", "metadata:", f"  name: {name}",
           "  namespace: argocd", "spec:", "  project: default", "  destination:",
           "    server: https://kubernetes.default.svc", f"    namespace: {name}", "  source:",
           f"    repoURL: {g.pick(('https://charts.bitnami.com/bitnami', 'registry-1.docker.io/bitnamicharts'))}",
           "    chart: redis", f"    targetRevision: {g.pick(REDIS_CHARTS)}", "    helm:"]
    if g.p(0.5):
        out.append("      valuesObject:")
        out += redis_values(g, "        ", name)
    else:
        out.append("      values: |")
        out += [f"        {ln.strip() and ln}" for ln in redis_values(g, "", name)]
    out += ["  syncPolicy:", "    automated:", "      prune: true", "      selfHeal: true"]
    return out


def conf_configmap(g: Gen, name: str, ns: str) -> list[str]:
    memory_mb = g.pick((128, 256, 512, 1024))
    out = ["apiVersion: v1", "kind: ConfigMap"] + metadata(name, ns, g) + ["data:"]
    if g.p(0.4):  # a rendered bitnami ConfigMap
        out += ["  redis.conf: |-"] + [f"    {c}" for c in conf_lines(g, memory_mb, mistakes=False) if c]
        out += ["  master.conf: |-", "    dir /data", '    rename-command FLUSHDB ""']
        out += ["  replica.conf: |-", "    dir /data", "    replica-read-only yes"]
    else:
        out += ["  redis.conf: |"] + [f"    {c}" for c in conf_lines(g, memory_mb) if c]
    return out


def statefulset(g: Gen, name: str, ns: str, cm: str) -> list[str]:
    return (["apiVersion: apps/v1", "kind: StatefulSet"] + metadata(name, ns, g) + [
        "spec:", f"  replicas: {g.pick((1, 1, 3))}", f"  serviceName: {name}", "  selector:",
        "    matchLabels:", f"      app: {name}", "  template:", "    metadata:", "      labels:",
        f"        app: {name}", "    spec:", "      containers:", "        - name: redis",
        f"          image: redis:{g.pick(('7.2.5', '7.4-alpine', '6.2.14'))}",
        "          command: [\"redis-server\", \"/etc/redis/redis.conf\"]", "          resources:",
        "            limits:", f"              memory: {g.pick(MEMORY[2:])}", "          volumeMounts:",
        "            - name: config", "              mountPath: /etc/redis", "            - name: data",
        "              mountPath: /data", "      volumes:", "        - name: config", "          configMap:",
        f"            name: {cm}", "  volumeClaimTemplates:", "    - metadata:", "        name: data",
        "      spec:", "        accessModes: [ReadWriteOnce]", "        resources:", "          requests:",
        f"            storage: {g.pick(SIZES)}"])


def redis_ha_values(g: Gen) -> list[str]:
    memory_mb = g.pick((256, 512, 1024))
    return ["## redis-ha values", "image:", "  repository: redis", f"  tag: {g.pick(('7.2.4-alpine', '6.2.14'))}",
            f"replicas: {g.pick((2, 3))}", "haproxy:", f"  enabled: {g.pick(('true', 'false'))}",
            "persistentVolume:", f"  enabled: {g.pick(('true', 'false'))}", f"  size: {g.pick(SIZES)}",
            "redis:", "  config:", f'    save: "{g.pick(("900 1", "", "3600 1 300 100"))}"',
            f"    maxmemory: \"{memory_mb}mb\"", f"    maxmemory-policy: \"{g.pick(POLICIES)}\"",
            f'    appendonly: "{g.pick(("yes", "no"))}"', "  resources:", "    limits:",
            f"      memory: {g.pick(MEMORY[3:])}", "hardAntiAffinity: true"]


def broken_yaml(g: Gen, name: str) -> list[str]:
    lines = helmrelease(g, name, "broken")
    at = g.r.randrange(8, len(lines))
    lines[at] = lines[at] + g.pick((": oops", "\t# tab", ' "unclosed'))
    return lines


# -- writing -------------------------------------------------------------------------------------

def join_docs(docs: list[list[str]], g: Gen) -> str:
    parts = []
    for i, d in enumerate(docs):
        if i or g.p(0.5):
            parts.append("---")
        parts += d
    text = "\n".join(parts)
    return text if g.p(0.03) else text + "\n"  # a few files lack the final newline


def helmrelease_file(g: Gen, idx: int, ns: str) -> str:
    """One benchmark file: a HelmRelease, sometimes with its own OCIRepository / values ConfigMap."""
    name = f"redis-{g.pick(PURPOSES)}-{idx:04d}"
    valkey = g.p(0.08)
    docs: list[list[str]] = []
    oci = None
    values_cm = None
    if g.p(0.15):
        oci = f"{'valkey' if valkey else 'redis'}-{idx:04d}"
        docs.append(oci_repo(oci, "valkey" if valkey else "redis", g.pick(VALKEY_CHARTS if valkey else REDIS_CHARTS), g))
    if g.p(0.08):
        values_cm = f"{name}-values"
        docs.append(values_configmap(values_cm, ns, g, 256))
    docs.append(helmrelease(g, name, ns, valkey=valkey, oci=oci, values_cm=values_cm, templated=g.p(0.05)))
    if g.p(0.1):
        docs.append(namespace_doc(ns))
    elif g.p(0.05):
        docs.append(helmrepository_doc(g))
    return join_docs(docs, g)


def write(path: str, text: str) -> int:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return len(text.encode())


def write_helmreleases(out: str, count: int, seed: int) -> tuple[int, int]:
    g = Gen(seed)
    total = 0
    for i in range(count):
        cluster, team = g.pick(CLUSTERS), g.pick(TEAMS)
        text = helmrelease_file(g, i, team)
        total += write(os.path.join(out, cluster, team, f"redis-{i:04d}", "helmrelease.yaml"), text)
    return count, total


def write_mixed(out: str, count: int, seed: int) -> tuple[int, int]:
    g = Gen(seed)
    total = 0
    written = 0
    i = 0
    shared_oci: dict[str, str] = {}  # cluster -> name of its shared OCIRepository
    while written < count:
        cluster, team = g.pick(CLUSTERS), g.pick(TEAMS)
        base = os.path.join(out, cluster, team, f"app-{i:04d}")
        name = f"redis-{g.pick(PURPOSES)}-{i:04d}"
        x = g.r.random()
        files: list[tuple[str, str]] = []
        if x < 0.42:
            files.append(("helmrelease.yaml", helmrelease_file(g, i, team)))
        elif x < 0.47:  # a release that uses its cluster's shared OCIRepository (another file)
            if cluster not in shared_oci:
                shared_oci[cluster] = f"redis-shared-{len(shared_oci)}"
                files.append((os.path.join("..", "..", "flux-system", f"{shared_oci[cluster]}.yaml"),
                              join_docs([oci_repo(shared_oci[cluster], "redis", g.pick(REDIS_CHARTS), g)], g)))
            files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, oci=shared_oci[cluster])], g)))
        elif x < 0.52:  # values in a sibling ConfigMap (or Secret) file
            cm = f"{name}-values"
            if g.p(0.6):
                files.append(("values-configmap.yaml", join_docs([values_configmap(cm, team, g, 512)], g)))
                files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, values_cm=cm)], g)))
            else:
                files.append(("values-secret.yaml", join_docs([values_secret(cm, team, g)], g)))
                files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, values_secret=cm)], g)))
        elif x < 0.56:
            files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, legacy=True)], g)))
        elif x < 0.60:
            files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, valkey=True)], g)))
        elif x < 0.70:
            files.append((g.pick(("values.yaml", "values-prod.yaml", "redis-values.yml")),
                          "\n".join(redis_values(g, "", name, templated=g.p(0.2))) + "\n"))
        elif x < 0.75:
            files.append(("application.yaml", join_docs([argo_app(g, name)], g)))
        elif x < 0.81:
            memory_mb = g.pick((256, 512, 1024))
            text = "\n".join(["# redis.conf for " + name] + conf_lines(g, memory_mb) + ["dir /data"]) + "\n"
            files.append((g.pick(("redis.conf", "valkey.conf", f"{name}.conf")), text))
        elif x < 0.86:
            files.append(("configmap.yaml", join_docs([conf_configmap(g, f"{name}-config", team)], g)))
        elif x < 0.89:
            cm = f"{name}-conf"
            files.append(("configmap.yaml", join_docs([conf_configmap(g, cm, team)], g)))
            files.append(("statefulset.yaml", join_docs([statefulset(g, name, team, cm)], g)))
        elif x < 0.92:
            files.append(("values.yaml", "\n".join(redis_ha_values(g)) + "\n"))
        elif x < 0.95:
            files.append(("helmrelease.yaml", join_docs([helmrelease(g, name, team, templated=True)], g)))
        elif x < 0.97:
            files.append(("broken.yaml", join_docs([broken_yaml(g, name)], g)))
        else:
            files.append(("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                          f"namespace: {team}\nresources:\n  - helmrelease.yaml\n"))
        for rel, text in files:
            if written >= count:
                break
            total += write(os.path.normpath(os.path.join(base, rel)), text)
            written += 1
        i += 1
    return written, total


def write_big(path: str, size: int, seed: int) -> tuple[int, int]:
    g = Gen(seed + 1)
    written = docs = 0
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        i = 0
        while written < size:
            text = helmrelease_file(g, i, g.pick(TEAMS))
            if not text.startswith("---"):
                text = "---\n" + text
            if not text.endswith("\n"):
                text += "\n"
            fh.write(text)
            written += len(text.encode())
            docs += text.count("\n---") + 1
            i += 1
    return docs, written


def parse_size(text: str) -> int:
    t = text.strip().upper().rstrip("B")
    mult = {"K": 1024, "M": 1024 * 1024}.get(t[-1:], 1)
    return int(float(t.rstrip("KM")) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="directory for --count files")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--mix", choices=("helmrelease", "mixed"), default="helmrelease")
    ap.add_argument("--big", help="write one multi-document file here")
    ap.add_argument("--size", default="5M", help="size of --big (e.g. 100K, 1M, 5M)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--quiet", "-q", action="store_true")
    a = ap.parse_args(argv)
    if not a.out and not a.big:
        ap.error("give --out and/or --big")
    if a.out:
        writer = write_helmreleases if a.mix == "helmrelease" else write_mixed
        n, total = writer(a.out, a.count, a.seed)
        if not a.quiet:
            print(f"wrote {n} files ({a.mix}) under {a.out}: {total:,} bytes", file=sys.stderr)
    if a.big:
        docs, total = write_big(a.big, parse_size(a.size), a.seed)
        if not a.quiet:
            print(f"wrote {a.big}: {total:,} bytes, about {docs} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
