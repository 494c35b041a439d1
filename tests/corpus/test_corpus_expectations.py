"""The real-world corpus as a careful Redis SRE reads it, under the cache profile.

For every file in the shared corpus (see its README.md and SOURCES.tsv; `REDISLINT_SHARED_CORPUS`
names its folder, tests/shared_corpus.py) this records what a person
concludes after reading it: the Redis deployments it holds (exact), the effective values and
Kubernetes facts that decide the findings, the findings that are certainly right (rule and line),
and the rules that would be false alarms there (asserted absent). Findings whose line is a matter
of taste are listed by rule only (`present`); findings that depend on a guess the file does not
settle (an unpinned chart version, an unknown replica count) are not asserted either way. `why`
says how each file was judged. One root cause is one finding (rules/_grouping.py): a rule that
defers to the owner of its cause is listed as absent, and an eviction policy with maxmemory 0 is
inert, so RL305 is absent there.

The files stay in the shared folder; the test skips when it is absent.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from redislint.engine import CheckOptions, check_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_corpus import absent_reason, shared_corpus

pytestmark = pytest.mark.shared_corpus

CORPUS = shared_corpus()
MI = 1024 * 1024
GI = 1024 * MI

Target = tuple[str, str, str, str, str]  # name, kind, role, chart, mode


@dataclass(frozen=True)
class Case:
    targets: list[Target]
    findings: set[tuple[str, int]]  # (rule, line): certainly right
    absent: set[str]  # rules that would be false alarms in this file
    effective: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> directive -> CONFIG GET value
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # role -> K8sFacts field (or version) -> value
    present: set[str] = field(default_factory=set)  # right, but the best line is debatable
    why: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # rule -> findings: one root cause, one finding


def _bitnami(name: str, kind: str, roles: str, chart: str = "bitnami/redis", mode: str = "standalone") -> list[Target]:
    return [(name, kind, role, chart, mode) for role in roles.split()]


AOF_ONLY = {"appendonly": "yes", "save": "", "maxmemory": "0", "maxmemory-policy": "noeviction"}

CASES: dict[str, Case] = {
    "argocd/040-m1dugh-valuesobject.yaml": Case(
        _bitnami("argocd/redis", "Application", "master replica", mode="replication"),
        {("RL301", 14), ("RL307", 14)},
        {"RL003", "RL101", "RL102", "RL303", "RL305", "RL401", "RL402", "RL406", "RL801"},
        {"master": AOF_ONLY, "replica": AOF_ONLY},
        {"master": {"chart_version": "25.3.0", "memory_limit": 192 * MI, "persistent": True,
                    "storage_size": 8 * GI, "replicas_of_master": 3},
         "replica": {"pods": 3, "memory_limit": 192 * MI}},
        why="Only global.defaultStorageClass is set (a known key, read from global), so everything is the "
            "chart default of a 25.x chart (newer than the data; nano preset, replication with 3 replicas, AOF on "
            "and save \"\"). No maxmemory under a 192Mi limit with no fork room is real for a cache: RL301 says it "
            "once, with the fork numbers (RL303) and the inert policy. All point at valuesObject (nothing written).",
    ),
    "configmap/033-mastonyc-rendered-bitnami-cm.yaml": Case(
        [("mastodon/mastodon-redis-configuration", "ConfigMap", "master", "", "server"),
         ("mastodon/mastodon-redis-configuration", "ConfigMap", "replica", "", "server")],
        {("RL301", 12)},
        {"RL003", "RL010", "RL012", "RL305", "RL401", "RL801"},
        {"master": {**AOF_ONLY, "dir": "/data"}, "replica": {**AOF_ONLY, "dir": "/data"}},
        why="A helm-template render of a Mastodon umbrella's Bitnami redis ConfigMap: redis.conf is the chart "
            "default (AOF on, save \"\"), master.conf/replica.conf only dir and renames. Each start script includes "
            "redis.conf then its role file, so both roles run AOF-only without maxmemory. The chart renders "
            "replica.conf in every mode, and sentinel.conf only with Sentinel: there is none, so a replica is never "
            "promoted and ignores maxmemory (no RL301 for it). The missing maxmemory belongs in redis.conf (line 12), "
            "which both roles read first. Nothing about the pod is known, so no Kubernetes rule runs.",
        counts={"RL301": 1},
    ),
    "configmap/036-wiregate-policy-without-maxmemory.yaml": Case(
        [("wiregate/redis-config:redis.conf", "ConfigMap", "server", "", "server")],
        {("RL203", 46), ("RL301", 41), ("RL017", 54)},
        {"RL003", "RL010", "RL011", "RL201", "RL202", "RL205", "RL306", "RL801"},
        {"server": {"appendonly": "no", "save": "900 1 300 10 60 10000", "maxmemory": "0",
                    "maxmemory-policy": "allkeys-lru", "dir": "/data"}},
        why="A full redis.conf: RDB 900/300/60 (so RL201/RL202 would be wrong: a single change is saved within "
            "900 s), appendonly no, and allkeys-lru with no maxmemory, which never evicts. The data-loss window "
            "(900 s against 1 s) is RL203's message (the AOF is the decision to change), not a second RL205. "
            "The ziplist names and lua-time-limit are aliases in current Redis (notes).",
    ),
    "helmrelease/002-devsecninja-sentinel-nopersist.yaml": Case(
        _bitnami("database/redis", "HelmRelease", "node", mode="sentinel"),
        {("RL301", 57), ("RL307", 57), ("RL401", 59)},
        {"RL003", "RL101", "RL102", "RL303", "RL305", "RL406", "RL801"},
        {"node": AOF_ONLY},
        {"node": {"chart_version": "20.2.1", "pods": 3, "replicas_of_master": 2, "persistent": False,
                  "storage_size": None, "memory_limit": 192 * MI}},
        why="Sentinel mode: every data pod is a node configured from replica.*, whose persistence is off: the AOF "
            "is written to an emptyDir (no volume size at all), and a restarted master comes back empty and wipes "
            "the replicas (RL406, which RL401 names). "
            "master.persistence.enabled: false is ignored in sentinel mode but only switches something off, so "
            "RL102 would be noise. The password comes from an existing Secret.",
    ),
    "helmrelease/005-falkwinkler-standalone-minimal.yaml": Case(
        _bitnami("database/redis", "HelmRelease", "master"),
        {("RL101", 26), ("RL301", 24), ("RL302", 24)},
        {"RL003", "RL102", "RL303", "RL305", "RL401", "RL801"},
        {"master": {**AOF_ONLY, "protected-mode": "no"}},
        {"master": {"chart_version": "17.1.8", "memory_limit": None, "persistent": True, "storage_size": 8 * GI}},
        why="Standalone 17.1.8 with chart defaults: no resourcesPreset before 18.14, so no memory limit at all "
            "(RL302, not RL303). `controller:` is not a Bitnami key (an app-template habit): RL101 is right. The "
            "commented-out sentinel block is not read.",
    ),
    "helmrelease/006-tyriis-sentinel-default-persist.yaml": Case(
        _bitnami("redis", "HelmRelease", "node", mode="sentinel"),
        {("RL301", 23), ("RL302", 23)},
        {"RL101", "RL102", "RL305", "RL401", "RL406", "RL801"},
        {"node": AOF_ONLY},
        {"node": {"chart_version": "17.4.0", "pods": 3, "persistent": True, "storage_size": 8 * GI,
                  "memory_limit": None}},
        why="Sentinel on 17.4.0, persistence at the chart default (8Gi PVCs), no resources and no preset in 17.x: "
            "only memory and the cache's RDB copy are missing.",
    ),
    "helmrelease/009-onelitefeather-empty-values.yaml": Case(
        _bitnami("redis/redis", "HelmRelease", "master replica", mode="replication"),
        {("RL301", 18), ("RL307", 18)},
        {"RL101", "RL102", "RL303", "RL305", "RL401", "RL801"},
        {"master": AOF_ONLY, "replica": AOF_ONLY},
        {"master": {"replicas_of_master": 3, "memory_limit": 192 * MI}, "replica": {"pods": 3}},
        why="chartRef to an OCIRepository named redis that is not in the file: taken as bitnami/redis, version "
            "unknown (a chartRef means Flux 2.3+, mid-2024, so a chart with the nano preset). values: {} leaves every "
            "chart default: replication with 3 replicas, AOF-only, nano preset.",
    ),
    "helmrelease/011-gpugar-demo-1gi-nonewline.yaml": Case(
        _bitnami("redis/redis", "HelmRelease", "master"),
        {("RL801", 20), ("RL301", 21), ("RL302", 21)},
        {"RL003", "RL101", "RL303", "RL305", "RL307", "RL401"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "18.19.4", "storage_size": 1 * GI, "memory_limit": None}},
        why="\"18.x\" resolves to 18.19.4, whose resourcesPreset default is none: no memory limit (RL302), so "
            "nano-preset findings would be wrong. `1Gi ` with a trailing space is still 1Gi. The literal password "
            "is a real leak.",
    ),
    "helmrelease/018-vikaspogu-100mi-pvc.yaml": Case(
        _bitnami("database/redis", "HelmRelease", "master"),
        {("RL301", 36), ("RL302", 36), ("RL402", 38)},
        {"RL101", "RL303", "RL305", "RL307", "RL401", "RL801"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "18.14.0", "storage_size": 100 * MI, "memory_limit": None}},
        why="18.14.0 is the first release with presets, defaulting to none: no memory limit. The 100Mi PVC is "
            "small: with maxmemory unset the AOF alone (first rewrite at auto-aof-rewrite-min-size 64mb, then 3x the "
            "data) fills 100Mi once the data passes about 33Mi, so RL402 warns with that bound.",
    ),
    "helmrelease/025-brettinternet-preset-nano.yaml": Case(
        _bitnami("database/redis", "HelmRelease", "master"),
        {("RL301", 33), ("RL307", 34), ("RL401", 36)},
        {"RL101", "RL102", "RL303", "RL305", "RL801"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "19.5.1", "memory_limit": 192 * MI, "persistent": False, "storage_size": None}},
        why="Explicit nano preset (so the memory findings point at it) and persistence off. The replica.* block "
            "is ignored standalone, but it only restates the preset default and switches persistence off: RL102 "
            "would be noise.",
    ),
    "helmrelease/047-dangwn-aof-no-trailing-newline.yaml": Case(
        _bitnami("points-are-bad/redis", "HelmRelease", "master"),
        {("RL301", 44)},
        {"RL003", "RL018", "RL102", "RL302", "RL303", "RL305", "RL401", "RL801"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "20.0.3", "memory_limit": 512 * MI, "memory_request": 256 * MI,
                    "storage_size": 8 * GI}},
        why="commonConfiguration restates the chart default (AOF on, save \"\") as the last lines with no final "
            "newline; `save \"\"` at line 48 is read. 512Mi limit = 2 x the 256Mi request, so the fork fits; "
            "replica.replicaCount: 0 standalone is inert. Only maxmemory is missing (noeviction is inert without it).",
    ),
    "multidoc/001-bsfishy-oci-redis.yaml": Case(
        _bitnami("redis", "HelmRelease", "master replica", mode="replication"),
        {("RL301", 42)},
        {"RL101", "RL302", "RL303", "RL305", "RL307", "RL401"},
        {"master": AOF_ONLY, "replica": AOF_ONLY},
        {"master": {"chart_version": "24.1.2", "memory_limit": GI, "memory_request": 512 * MI,
                    "replicas_of_master": 3},
         "replica": {"pods": 3, "memory_limit": GI}},
        why="The OCIRepository in the same file pins 24.1.2 (followed through chartRef). Replication with "
            "explicit 1Gi/512Mi resources (enough fork room) and PVCs on both roles. The master lacks maxmemory; the "
            "replicas copy its data set and ignore their own (replica-ignore-maxmemory, no Sentinel promotes them), so "
            "RL301 is the master's alone.",
        counts={"RL301": 1},
    ),
    "multidoc/052-spolab-hr-plus-values-cm.yaml": Case(
        _bitnami("redis/redis", "HelmRelease", "master", mode="replication"),
        {("RL301", 18), ("RL302", 18)},
        {"RL003", "RL101", "RL102", "RL305"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "17.3.8", "replicas_of_master": 0, "memory_limit": None}},
        why="All values come from the ConfigMap in the same file (valuesFrom): replica.replicaCount 0 means the "
            "replica StatefulSet runs no pod, so only the master is checked. Findings about absent settings "
            "point at valuesFrom (there is no spec.values).",
    ),
    "redis-conf/029-fineract-oauth2-session-cache.conf": Case(
        [("029-fineract-oauth2-session-cache.conf", "redis.conf", "server", "", "server")],
        {("RL203", 54), ("RL017", 64)},
        {"RL010", "RL204", "RL205", "RL206", "RL301", "RL305"},
        {"server": {"appendonly": "no", "save": "", "maxmemory": str(450 * MI), "maxmemory-policy": "allkeys-lru"}},
        why="Deliberately ephemeral (sessions): no RDB, no AOF. The cache profile requires both, so those "
            "findings are right for this profile (a disposable-cache profile is the author's real need). "
            "appendfsync everysec next to appendonly no, and stop-writes-on-bgsave-error no with no RDB, are moot. "
            "maxmemory 450mb with allkeys-lru is exactly what a cache wants.",
    ),
    "redis-conf/031-festas-minecraft-rdb-noeviction.conf": Case(
        [("031-festas-minecraft-rdb-noeviction.conf", "redis.conf", "server", "", "server")],
        {("RL203", 28), ("RL305", 37)},
        {"RL202", "RL205", "RL301", "RL801", "RL003"},
        {"server": {"appendonly": "no", "save": "900 1 300 10 60 10000", "maxmemory": str(400 * MI),
                    "maxmemory-policy": "noeviction"}},
        why="RDB-only with maxmemory 400mb and noeviction. `requirepass __REDIS_PASSWORD__` is a placeholder "
            "the deploy workflow replaces (the comments say so): not a plain-text password, and since no "
            "persistence check depends on it, not an unresolved value either. noeviction is wrong for the cache profile (the author treats it as a "
            "store, not a cache); the AOF is missing for a 1 s RPO, and `appendonly yes` belongs next to the save lines "
            "(line 28), not at the file's first comment.",
    ),
    "redis-conf/062-thinkwatch-aof-only-iothreads.conf": Case(
        [("062-thinkwatch-aof-only-iothreads.conf", "redis.conf", "server", "", "server")],
        {("RL207", 8)},
        {"RL010", "RL016", "RL203", "RL205", "RL301", "RL305"},
        {"server": {"appendonly": "yes", "appendfsync": "everysec", "no-appendfsync-on-rewrite": "yes", "save": "",
                    "maxmemory": str(768 * MI), "maxmemory-policy": "allkeys-lru"}},
        why="A good cache config except no-appendfsync-on-rewrite yes (no fsync during rewrites) and no RDB "
            "copy. io-threads, listpack names and activedefrag are all valid in current Redis.",
    ),
    "redis-ha/016-amalsom10-redis-ha-values.yaml": Case(
        [("016-amalsom10-redis-ha-values.yaml", "values", "server", "redis-ha", "replication")],
        {("RL017", 82), ("RL203", 79), ("RL301", 84), ("RL302", 76), ("RL101", 94)},
        {"RL205", "RL305", "RL306", "RL401", "RL502", "RL601", "RL801"},
        {"server": {"appendonly": "no", "save": "900 1", "maxmemory": "0", "maxmemory-policy": "volatile-lru",
                    "min-replicas-to-write": "1"}},
        {"server": {"redis_version": "Redis 5.0", "pods": 3, "replicas_of_master": 2, "persistent": True,
                    "storage_size": 10 * GI, "memory_limit": None}},
        why="A full redis-ha values file for Redis 5.0.5: redis.config renders save 900 1, no AOF, maxmemory 0 "
            "with volatile-lru. The `resources: {}` under the comment sits under `redisslave:`, not `redis:`, so "
            "the Redis container has no limit. min-slaves-* are old aliases (the note points at the keys). "
            "10Gi PVCs, fsGroup 1000, 3 pods with min-replicas-to-write 1: nothing wrong there.",
    ),
    "templated/003-giorgioaresu-standalone-secretvars.yaml": Case(
        _bitnami("redis", "HelmRelease", "master"),
        {("RL101", 25), ("RL101", 40), ("RL301", 32), ("RL401", 34)},
        {"RL003", "RL303", "RL305", "RL801"},
        {"master": AOF_ONLY},
        {"master": {"chart_version": "19.5.0", "memory_limit": 192 * MI, "persistent": False}},
        why="Top-level `resources:` and `strategy:` are not chart keys (master.resources is): Helm ignores them, "
            "so the nano preset really applies and the fork-headroom findings are right. The ${SECRET_*} values "
            "(clusterDomain, global.redis.password) are Flux substitutions, not plain-text passwords, and affect no "
            "persistence check.",
    ),
    "templated/026-damacus-externaldns-secretvar.yaml": Case(
        _bitnami("database/redis", "HelmRelease", "master"),
        {("RL102", 32), ("RL301", 28), ("RL307", 28), ("RL401", 30)},
        {"RL003", "RL101", "RL303", "RL305", "RL801"},
        {"master": {**AOF_ONLY, "protected-mode": "no"}},
        {"master": {"chart_version": "19.3.4", "persistent": False, "memory_limit": 192 * MI}},
        why="Standalone with persistence off and the nano preset; replica.replicaCount: 1 asks for a replica "
            "standalone never runs (RL102). useExternalDNS and networkPolicy keys are valid; the ${...} in the "
            "DNS suffix is irrelevant to Redis.",
    ),
    "valkey/013-hlkube-n8n-valkey.yaml": Case(
        _bitnami("n8n/n8n-valkey", "HelmRelease", "primary", chart="bitnami/valkey"),
        {("RL101", 63), ("RL301", 32)},
        {"RL003", "RL302", "RL303", "RL305", "RL401", "RL801"},
        {"primary": AOF_ONLY},
        {"primary": {"redis_version": "Valkey 8.1", "memory_limit": 256 * MI, "memory_request": 128 * MI,
                     "storage_size": 8 * GI}},
        why="bitnami/valkey through an OCI chartRef (version unknown, so primary.* naming). Valkey 8.1 from the "
            "bitnamilegacy image tag. 256Mi/128Mi leaves fork room; `service.ports` is not a valkey key "
            "(primary.service is).",
    ),
    "values/022-maxmorhardt-standalone-latest.yaml": Case(
        [("022-maxmorhardt-standalone-latest.yaml", "values", "master", "bitnami/redis", "standalone")],
        {("RL301", 10)},
        {"RL101", "RL102", "RL303", "RL305", "RL401", "RL402", "RL404", "RL801"},
        {"master": AOF_ONLY},
        {"master": {"memory_limit": GI, "memory_request": GI, "persistent": True, "storage_size": None,
                    "pvc_deleted_with_release": False}},
        why="Standalone on an existing claim (so persistence.size is ignored: the volume's size is unknown), "
            "retention Retain. requests = limits = 1Gi with maxmemory 0: the fork room is RL301's message under cache.",
    ),
    "values/027-virtool-disablecommands-null.yaml": Case(
        [("027-virtool-disablecommands-null.yaml", "values", "master", "bitnami/redis", "standalone")],
        {("RL801", 3), ("RL301", 6)},
        {"RL003", "RL010", "RL012", "RL101", "RL305"},
        {"master": AOF_ONLY},
        {"master": {"redis_version": "Redis 7.2"}},
        why="Dev values: a literal password, disableCommands: null (which deletes the FLUSHDB/FLUSHALL renames), "
            "Redis 7.2 from image.tag. The debian-11 tag suggests an 18.x chart (no preset), but no chart version "
            "is given, so the preset findings are not asserted either way.",
    ),
}


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".conf"))


@pytest.fixture(scope="module")
def checked() -> dict[str, tuple]:
    if not CORPUS.is_dir():
        pytest.skip(absent_reason())
    return {name: check_paths([str(CORPUS / name)], CheckOptions(profile="cache")) for name in CASES}


def test_every_corpus_file_has_an_expectation() -> None:
    if not CORPUS.is_dir():
        pytest.skip(absent_reason())
    assert corpus_files() == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_targets(checked, name: str) -> None:
    _, targets = checked[name]
    got = [(t.name, t.kind, t.role, t.chart, t.mode) for t in targets]
    assert got == CASES[name].targets


@pytest.mark.parametrize("name", sorted(CASES))
def test_effective_values_and_facts(checked, name: str) -> None:
    _, targets = checked[name]
    case = CASES[name]
    by_role = {t.role: t for t in targets}
    for role, settings in case.effective.items():
        got = {key: by_role[role].value(key) for key in settings}
        assert got == settings, role
    for role, facts in case.facts.items():
        t = by_role[role]
        for fact, want in facts.items():
            if fact == "chart_version":
                got = t.chart_version
            elif fact == "redis_version":
                got = t.redis_version.label
            else:
                got = getattr(t.facts, fact).value
            assert got == want, f"{role} {fact}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_findings(checked, name: str) -> None:
    report, _ = checked[name]
    case = CASES[name]
    got = {(f.rule, f.span.line) for f in report.findings}
    shown = "\n".join(f"{f.rule} {f.span.line}:{f.span.column} {f.message}" for f in report.findings)
    assert case.findings <= got, f"missing {sorted(case.findings - got)}\n{shown}"
    # The cache profile leaves RDB optional (AOF carries its RPO): RL201 is off there.
    assert not {rule for rule, _ in got} & {"RL201"}, shown
    rules = {r for r, _ in got}
    assert case.present <= rules, shown
    assert not (case.absent & rules), f"false alarms {sorted(case.absent & rules)}\n{shown}"
    assert all(f.span.path.endswith(name) for f in report.findings)
    for rule, count in case.counts.items():
        assert sum(f.rule == rule for f in report.findings) == count, (rule, shown)
