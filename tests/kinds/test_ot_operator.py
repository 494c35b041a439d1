"""The OT-Container-Kit operator: recognition, roles, the entrypoint's layering (judged by a real
redis-server), the ConfigMap it mounts, and the traps of issue 15."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.inputs import load_inputs
from redislint.redisconf import Include
from redislint.targets import Discovery, find_targets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import require_redis_server, run_server

SESSIONS = """\
apiVersion: redis.redis.opstreelabs.in/{api}
kind: Redis
metadata:
  name: sessions
  namespace: web
spec:
  kubernetesConfig:
    image: quay.io/opstree/redis:v7.0.15
    resources:
      requests:
        memory: 256Mi
      limits:
        memory: 1Gi
  redisConfig:
    additionalRedisConfig: sessions-extra
  storage:
    volumeClaimTemplate:
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 4Gi
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: sessions-extra
  namespace: web
data:
  redis-additional.conf: |
    save 3600 1
    maxmemory 400mb
    maxmemory-policy volatile-lru
"""


def targets(tmp_path: Path, text: str, name: str = "redis.yaml", found: Discovery | None = None):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return find_targets(inputs.yaml_files, inputs.conf_files, found=found)


def findings(tmp_path: Path, text: str, profile: str = "cache", rule: str | None = None):
    path = tmp_path / "redis.yaml"
    path.write_text(textwrap.dedent(text))
    report, _ = check_paths([str(path)], CheckOptions(profile=profile, select=(rule,) if rule else ()))
    return [f for f in report.findings if rule is None or f.rule == rule]


@pytest.mark.parametrize("api", ["v1beta1", "v1beta2"])
def test_both_api_versions_build_one_master_with_the_configmap_as_its_last_layer(tmp_path: Path, api: str) -> None:
    found = Discovery()
    (t,) = targets(tmp_path, SESSIONS.format(api=api), found=found)
    assert (t.chart, t.kind, t.role, t.mode, t.name) == ("ot-operator", "Redis", "master", "standalone", "web/sessions")
    assert str(t.redis_version) == "Redis 7.0.15"
    # The entrypoint's three save lines, then the ConfigMap's, which adds a point (include after them).
    assert t.value("save") == "900 1 300 10 60 10000 3600 1"
    save = t.evaluation.settings["save"].history
    assert [a.layer for a in save[1:]] == ["operator entrypoint (persistence)"] * 3 + \
        ["ConfigMap sessions-extra (redis-additional.conf)"]
    assert save[-1].line.span.line == 31  # the ConfigMap's own line
    assert save[1].line.span.line == 17  # the entrypoint writes them because of spec.storage.volumeClaimTemplate
    assert t.value("appendonly") == "yes" and t.value("dir") == "/data"
    assert t.value("maxmemory") == str(400 * 1024 * 1024)
    facts = t.facts
    assert (facts.memory_limit.value, facts.memory_limit.span.line) == (1024 ** 3, 13)
    assert (facts.storage_size.value, facts.persistent.value, facts.pods.value) == (4 * 1024 ** 3, True, 1)
    assert facts.pvc_deleted_with_release.value is True  # the finalizer deletes it without keepAfterDelete
    # The ConfigMap is read as this resource's config: no target of its own, no RL004.
    assert found.problems == []
    assert found.files[str(tmp_path / "redis.yaml")] == "targets"


def test_the_entrypoints_include_order_is_what_a_real_redis_server_reads(tmp_path: Path) -> None:
    """The boot config written the way the image's entrypoint writes it, with the ConfigMap's file
    included last: redis-server reports the same save points, appendonly and memory settings as the model."""
    binary = require_redis_server()
    (t,) = targets(tmp_path, SESSIONS.format(api="v1beta2"))
    main: list[str] = []
    included = ""
    for item in t.source.items:
        if isinstance(item, Include):
            included = "\n".join(line.raw for line in item.source.items) + "\n"
            main.append("include {tmp}/external.conf.d/redis-additional.conf")
        elif item.name not in ("dir", "pidfile", "bind"):  # the harness's own directory, no pid file, no TCP
            main.append(item.raw)
    run = run_server(binary, "\n".join(main) + "\n", files={"external.conf.d/redis-additional.conf": included},
                     patterns=["save", "appendonly", "appendfilename", "maxmemory", "maxmemory-policy"])
    assert run.config is not None, run.stderr
    for key in ("save", "appendonly", "appendfilename", "maxmemory", "maxmemory-policy"):
        assert run.config[key] == t.value(key), key
    assert run.config["save"] == "900 1 300 10 60 10000 3600 1"


def test_a_configmap_key_other_than_redis_additional_conf_is_reported(tmp_path: Path) -> None:
    text = SESSIONS.format(api="v1beta2").replace("  redis-additional.conf: |", "  redis.conf: |")
    (t,) = targets(tmp_path, text)
    assert t.value("maxmemory") == "0"  # nothing of it is read
    (f,) = findings(tmp_path, text, rule="RL102")
    assert f.span.line == 30 and "includes only the key redis-additional.conf" in f.message


def test_a_configmap_not_among_the_inputs_makes_the_target_partial(tmp_path: Path) -> None:
    text = SESSIONS.format(api="v1beta2").split("---")[0]
    (t,) = targets(tmp_path, text)
    assert t.partial is not None and "ConfigMap sessions-extra" in t.partial.unseen[0]
    rl003 = findings(tmp_path, text, rule="RL003")
    assert [f.span.line for f in rl003] == [15]


def test_config_text_written_where_a_configmap_name_belongs(tmp_path: Path) -> None:
    text = """\
    apiVersion: redis.redis.opstreelabs.in/v1beta2
    kind: RedisReplication
    metadata:
      name: jobs
    spec:
      clusterSize: 3
      kubernetesConfig:
        image: quay.io/opstree/redis:v7.2.4
      redisConfig:
        additionalRedisConfig: |
          appendonly yes
          maxmemory 1gb
    """
    (t,) = targets(tmp_path, text)
    assert (t.role, t.mode, t.facts.pods.value, t.facts.replicas_of_master.value) == ("server", "replication", 3, 2)
    assert t.value("appendonly") == "no" and t.value("maxmemory") == "0"
    (f,) = findings(tmp_path, text, rule="RL102")
    assert f.span.line == 10 and "name of a ConfigMap" in f.message


def test_without_storage_the_builtin_rdb_schedule_writes_to_the_container_filesystem(tmp_path: Path) -> None:
    text = """\
    apiVersion: redis.redis.opstreelabs.in/v1beta2
    kind: Redis
    metadata:
      name: scratch
    spec:
      kubernetesConfig:
        image: quay.io/opstree/redis:v7.0.15
    """
    (t,) = targets(tmp_path, text)
    assert t.value("save") == "3600 1 300 100 60 10000" and t.value("appendonly") == "no"
    assert t.facts.persistent.value is False
    (f,) = findings(tmp_path, text, profile="session", rule="RL401")
    assert "container's own filesystem" in f.message


def test_cluster_roles_and_storage_without_persistence_enabled(tmp_path: Path) -> None:
    text = """\
    apiVersion: redis.redis.opstreelabs.in/v1beta2
    kind: RedisCluster
    metadata:
      name: shards
    spec:
      clusterSize: 3
      kubernetesConfig:
        image: quay.io/opstree/redis:v7.0.15
        resources:
          limits:
            memory: 2Gi
      redisFollower:
        replicas: 3
        resources:
          limits:
            memory: 1Gi
      storage:
        volumeClaimTemplate:
          spec:
            accessModes: [ReadWriteOnce]
            resources:
              requests:
                storage: 8Gi
    """
    leader, follower = targets(tmp_path, text)
    assert (leader.role, follower.role) == ("leader", "follower")
    assert follower.upstream is leader
    assert leader.value("cluster-enabled") == "yes"
    assert leader.facts.memory_limit.value == 2 * 1024 ** 3 and follower.facts.memory_limit.value == 1024 ** 3
    assert leader.facts.persistent.value is False and leader.value("appendonly") == "no"
    issues = findings(tmp_path, text, rule="RL102")
    assert {f.span.line for f in issues} == {17} and "persistenceEnabled" in issues[0].message
    with_flag = textwrap.dedent(text).replace("clusterSize: 3\n", "clusterSize: 3\n  persistenceEnabled: true\n")
    leader, _ = targets(tmp_path, with_flag)
    assert leader.facts.persistent.value is True and leader.value("appendonly") == "yes"


def test_another_image_runs_redis_on_its_defaults(tmp_path: Path) -> None:
    text = SESSIONS.format(api="v1beta2").replace("quay.io/opstree/redis:v7.0.15", "redis:7.2-alpine")
    (t,) = targets(tmp_path, text)
    assert t.value("appendonly") == "no" and t.value("maxmemory") == "0"
    assert any("feature gates" in a.message for a in t.assumptions)
    (f,) = findings(tmp_path, text, rule="RL102")
    assert f.span.line == 8 and "GenerateConfigInInitContainer" in f.message


def test_max_memory_percent_of_limit_has_no_effect_on_the_default_path(tmp_path: Path) -> None:
    text = SESSIONS.format(api="v1beta2").split("---")[0].replace(
        "    additionalRedisConfig: sessions-extra\n", "    maxMemoryPercentOfLimit: 80\n")
    (t,) = targets(tmp_path, text)
    assert t.value("maxmemory") == "0"
    (f,) = findings(tmp_path, text, rule="RL102")
    assert f.span.line == 15 and "#1641" in f.message
    rl301 = findings(tmp_path, text, rule="RL301")
    assert rl301 and rl301[0].severity.value == "error"


def test_a_sentinel_resource_holds_no_data_and_is_not_reported(tmp_path: Path) -> None:
    text = """\
    apiVersion: redis.redis.opstreelabs.in/v1beta2
    kind: RedisSentinel
    metadata:
      name: watch
    spec:
      clusterSize: 3
      kubernetesConfig:
        image: quay.io/opstree/redis-sentinel:v7.0.15
    """
    found = Discovery()
    assert targets(tmp_path, text, found=found) == []
    assert found.problems == []
    assert findings(tmp_path, text) == []


def test_rules_the_kind_cannot_be_judged_by_stay_silent(tmp_path: Path) -> None:
    # Nothing in the resource says which user the pods run as: RL601 is not judged for this kind.
    assert findings(tmp_path, SESSIONS.format(api="v1beta2"), profile="critical", rule="RL601") == []


def test_the_configmap_checked_alone_gets_what_the_whole_repository_gives_it(tmp_path: Path, monkeypatch) -> None:
    """pre-commit passes only the changed ConfigMap: the repository index finds the resource that mounts it."""
    import json
    import os
    import shutil
    import subprocess

    from click.testing import CliRunner

    from redislint import gitfiles
    from redislint.cli import main

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    (repo / "redis").mkdir(parents=True)
    resource, configmap = SESSIONS.format(api="v1beta2").split("---\n")
    (repo / "redis" / "sessions.yaml").write_text(resource)
    (repo / "redis" / "sessions-extra.yaml").write_text(configmap.replace("volatile-lru", "noeviction"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)

    def run(*paths: str) -> list[tuple]:
        gitfiles.forget()
        monkeypatch.chdir(repo)
        result = CliRunner().invoke(main, ["check", *paths, "--profile", "cache", "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        return sorted((f["path"], f["line"], f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]
                      if f["path"].endswith("sessions-extra.yaml"))

    whole = run(".")
    assert any(rule == "RL305" and line == 10 for _, line, rule, _ in whole)  # noeviction in the ConfigMap
    assert run("redis/sessions-extra.yaml") == whole


def test_the_registry_knows_the_resources_by_group_and_kind() -> None:
    from redislint.kinds.registry import kind_for_object

    for api in ("redis.redis.opstreelabs.in/v1beta1", "redis.redis.opstreelabs.in/v1beta2"):
        for kind in ("Redis", "RedisReplication", "RedisCluster", "RedisSentinel"):
            assert kind_for_object(api, kind).id == "ot-operator"
    assert kind_for_object("redis.redis.opstreelabs.in/v1beta2", "RedisBackup") is None


def test_memory_and_volume_findings_name_the_resources_fields(tmp_path: Path) -> None:
    text = SESSIONS.format(api="v1beta2").split("---")[0].replace(
        "    resources:\n      requests:\n        memory: 256Mi\n      limits:\n        memory: 1Gi\n", "")
    (f,) = findings(tmp_path, text, profile="session", rule="RL302")
    assert "spec.kubernetesConfig.resources.limits.memory is not set" in f.message
    assert f.fix.startswith("Set spec.kubernetesConfig.resources.limits.memory")
