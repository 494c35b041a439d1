"""Fixes that are safe where they are given: following one (applied by hand, as a user would) clears the
finding and brings no new error, in the topologies where a careless place for the line would."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

from redislint.engine import CheckOptions, check_paths

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: apps
spec:
  chart:
    spec:
      chart: redis
      version: {version}
  values:
"""


def _hr(values: str, version: str = "20.2.1") -> str:
    return HR.format(version=version) + textwrap.indent(textwrap.dedent(values), "    ")


def _check(tmp_path: Path, name: str, content: str, profile: str) -> list:
    path = tmp_path / name
    path.write_text(content)
    report, _ = check_paths([str(path)], CheckOptions(profile=profile))
    return report.findings


def _one(findings: list, rule: str):  # type: ignore[no-untyped-def]
    hits = [f for f in findings if f.rule == rule]
    assert len(hits) == 1, [(f.rule, f.message) for f in findings]
    return hits[0]


def _errors(findings: list) -> set[str]:
    return {f.rule for f in findings if f.severity.value == "error"}


SENTINEL = """\
architecture: replication
sentinel:
  enabled: true
replica:
  replicaCount: 3
  resources:
    limits:
      memory: 2Gi
"""


def test_sentinel_maxmemory_goes_where_it_keeps_the_charts_aof(tmp_path: Path) -> None:
    """Writing commonConfiguration replaces the chart's `appendonly yes` / `save ""`: under cache the
    AOF would go off (RL203). replica.configuration is read by every sentinel node, before that default."""
    before = _check(tmp_path, "before.yaml", _hr(SENTINEL), "cache")
    fix = _one(before, "RL301").fix
    assert "replica.configuration" in fix and "Set maxmemory 1gb" in fix, fix
    after = _check(tmp_path, "after.yaml", _hr(SENTINEL + "  configuration: |\n    maxmemory 1gb\n"
                                              "    maxmemory-policy allkeys-lru\n"), "cache")
    assert "RL301" not in {f.rule for f in after}
    assert not _errors(after) - _errors(before), [(f.rule, f.message) for f in after]
    assert "RL203" not in {f.rule for f in after}  # the AOF the chart turns on is still on


def test_sentinel_min_replicas_goes_to_replica_configuration(tmp_path: Path) -> None:
    values = SENTINEL + "  configuration: |\n    maxmemory 1gb\n"
    before = _check(tmp_path, "before.yaml", _hr(values), "critical")
    hit = next(f for f in before if f.rule == "RL205" and f.subject == "min-replicas-to-write")
    assert "to replica.configuration" in hit.fix, hit.fix
    after = _check(tmp_path, "after.yaml", _hr(values + "    min-replicas-to-write 1\n    min-replicas-max-lag 10\n"),
                   "critical")
    assert not [f for f in after if f.rule == "RL205" and f.subject == "min-replicas-to-write"]
    assert not _errors(after) - _errors(before), [(f.rule, f.message) for f in after]


def test_sentinel_persistence_off_writes_both_lines_in_one_text(tmp_path: Path) -> None:
    """`appendonly no` alone in commonConfiguration drops the chart's `save ""` too: Redis's default save
    points come back and the fork stays. The fix writes both, in the one place that beats the default."""
    values = """\
    architecture: replication
    sentinel:
      enabled: true
    replica:
      replicaCount: 3
      persistence:
        enabled: false
    """
    before = _check(tmp_path, "before.yaml", _hr(values), "baseline")
    hit = _one(before, "RL401")
    assert "write commonConfiguration with `appendonly no` and `save \"\"`" in hit.fix, hit.fix
    after = _check(tmp_path, "after.yaml", _hr(values + "commonConfiguration: |\n  appendonly no\n  save \"\"\n"),
                   "baseline")
    assert not {"RL401", "RL303", "RL211"} & {f.rule for f in after}, [(f.rule, f.message) for f in after]
    disposable = _check(tmp_path, "ephemeral.yaml", _hr(values + "commonConfiguration: |\n  appendonly no\n  save \"\"\n"),
                        "ephemeral")
    assert "RL211" not in {f.rule for f in disposable}, [(f.rule, f.message) for f in disposable]


def test_chart_default_persistence_is_one_finding_in_standalone(tmp_path: Path) -> None:
    """The chart's `save ""` and appendfsync everysec kept under critical: one decision (the chart's persistence
    text never adapted), one finding whose fix writes both lines in master.configuration."""
    values = """\
    architecture: standalone
    master:
      configuration: |
        maxmemory 1gb
      resources:
        limits:
          memory: 2Gi
    """
    before = _check(tmp_path, "before.yaml", _hr(values), "critical")
    hit = _one(before, "RL201")
    assert "RL204" not in {f.rule for f in before}
    assert "appendfsync everysec" in hit.message and "`appendfsync always`" in hit.fix, hit.fix
    assert "master.configuration" in hit.fix
    after = _check(tmp_path, "after.yaml", _hr(values.replace(
        "    maxmemory 1gb\n", "    maxmemory 1gb\n        save 900 1\n        save 300 10\n        appendfsync always\n")),
        "critical")
    assert not {"RL201", "RL204"} & {f.rule for f in after}, [(f.rule, f.message) for f in after]
    assert not _errors(after) - _errors(before), [(f.rule, f.message) for f in after]


def test_chart_default_persistence_is_one_finding_in_sentinel(tmp_path: Path) -> None:
    before = _check(tmp_path, "before.yaml", _hr(SENTINEL + "  configuration: |\n    maxmemory 1gb\n"), "critical")
    hit = _one(before, "RL201")
    assert "RL204" not in {f.rule for f in before}
    assert "`appendonly yes`, `appendfsync always`, `save 900 1` and `save 300 10`" in hit.fix, hit.fix


REPLICATION = """\
architecture: replication
replica:
  replicaCount: 3
"""


def test_replication_memory_fix_sizes_the_replicas_too(tmp_path: Path) -> None:
    """Sizing the master alone leaves the replicas on the chart's nano preset: they hold the same data set and
    are OOM-killed on every full sync (RL309 on re-run)."""
    before = _check(tmp_path, "before.yaml", _hr(REPLICATION), "cache")
    fix = _one(before, "RL301").fix
    assert "master.resources and replica.resources" in fix, fix
    sized = "  resources:\n    limits:\n      memory: 2Gi\n"
    after = _check(tmp_path, "after.yaml", _hr(
        REPLICATION + sized + "master:\n  configuration: |\n    maxmemory 1gb\n    maxmemory-policy allkeys-lru\n"
        + sized), "cache")
    assert not {"RL301", "RL309", "RL303"} & {f.rule for f in after}, [(f.rule, f.message) for f in after]
    assert not _errors(after) - _errors(before), [(f.rule, f.message) for f in after]


def test_an_unbounded_data_set_on_the_preset_is_one_finding_for_both_roles(tmp_path: Path) -> None:
    findings = _check(tmp_path, "input.yaml", _hr(REPLICATION), "baseline")
    hit = _one(findings, "RL303")
    assert hit.role == "master, replica", hit.role
    assert "master.resources and replica.resources" in hit.fix, hit.fix
    assert "RL307" not in {f.rule for f in findings}  # the preset is part of the one finding, for both roles


def test_adding_replicas_gives_them_the_masters_memory(tmp_path: Path) -> None:
    values = """\
    architecture: standalone
    master:
      configuration: |
        maxmemory 256mb
      resources:
        limits:
          memory: 512Mi
    replica:
      replicaCount: 0
      persistence:
        enabled: false
    """
    before = _check(tmp_path, "before.yaml", _hr(values), "critical")
    fix = _one(before, "RL501").fix
    assert "replica.resources with the master's 512Mi limit" in fix, fix
    assert "`replica.persistence.enabled: true` (line 22" in fix and "sentinel.enabled: true" in fix, fix
    fixed = values.replace("standalone", "replication").replace("replicaCount: 0", "replicaCount: 2").replace(
        "enabled: false", "enabled: true\n      resources:\n        limits:\n          memory: 512Mi")
    after = _check(tmp_path, "after.yaml", _hr(fixed), "critical")
    assert not {"RL501", "RL309", "RL401", "RL406"} & {f.rule for f in after}, [(f.rule, f.message) for f in after]
    assert not _errors(after) - _errors(before), [(f.rule, f.message) for f in after]


# -- fixes that can make Redis refuse writes say when: a real redis-server shows that they do --

def _redis():  # type: ignore[no-untyped-def]
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from redis_server import DataDirServer, require_redis_server

    return DataDirServer, require_redis_server()


def test_noeviction_on_a_redis_that_evicts_refuses_writes_at_once(tmp_path: Path) -> None:
    """An allkeys-lru Redis sits at maxmemory; switched to noeviction, its next write is refused with OOM.
    RL305's fix says so and names the check (evicted_keys, used_memory) and what to raise first."""
    conf = "maxmemory 2mb\nmaxmemory-policy allkeys-lru\nsave \"\"\nappendonly no\n"
    hit = _one(_check(tmp_path, "redis.conf", conf, "queue"), "RL305")
    assert "Set maxmemory-policy noeviction" in hit.fix
    for words in ("evicted_keys", "used_memory", "raise maxmemory", "OOM"):
        assert words in hit.fix, hit.fix
    DataDirServer, binary = _redis()
    data = tmp_path / "data"
    data.mkdir()
    (data / "redis.conf").write_text(conf)
    server = DataDirServer(binary, data, data / "redis.conf")
    try:
        value = "x" * 10_000
        for i in range(400):  # about 4 MB into a 2 MB cap
            server.run(["SET", f"k{i}", value])
        assert int(server.info("stats")["evicted_keys"]) > 0
        server.run(["CONFIG", "SET", "maxmemory-policy", "noeviction"])
        try:
            server.run(["SET", "job", value])
            raise AssertionError("noeviction at maxmemory accepted a write")
        except RuntimeError as exc:
            assert str(exc).startswith("OOM"), exc
    finally:
        server.stop()


def test_stop_writes_on_bgsave_error_yes_refuses_writes_after_a_failed_save(tmp_path: Path) -> None:
    """With the last BGSAVE failed, turning stop-writes-on-bgsave-error back on refuses the next write
    (MISCONF) at once: RL206's fix under critical says to check rdb_last_bgsave_status first."""
    conf = "save 3600 1\nstop-writes-on-bgsave-error no\nappendonly yes\nappendfsync always\nmaxmemory 1gb\n"
    hit = _one(_check(tmp_path, "redis.conf", conf, "critical"), "RL206")
    assert "rdb_last_bgsave_status:ok" in hit.fix and "MISCONF" in hit.fix, hit.fix
    DataDirServer, binary = _redis()
    data = tmp_path / "data"
    snapshots = data / "snapshots"
    snapshots.mkdir(parents=True)
    # Redis refuses writes for a failed BGSAVE only while save points are configured.
    (data / "redis.conf").write_text("save 3600 1\nstop-writes-on-bgsave-error no\n")
    server = DataDirServer(binary, data, data / "redis.conf", ["--dir", str(snapshots)])
    try:
        server.run(["SET", "a", "1"])
        snapshots.rmdir()  # the data directory goes away: the next BGSAVE cannot write its file
        server.run(["BGSAVE"])
        deadline = time.monotonic() + 20
        while server.info("persistence")["rdb_bgsave_in_progress"] != "0" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.info("persistence")["rdb_last_bgsave_status"] == "err"
        server.run(["SET", "b", "2"])  # `no`: still writable
        server.run(["CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"])
        try:
            server.run(["SET", "c", "3"])
            raise AssertionError("a failed BGSAVE with stop-writes-on-bgsave-error yes accepted a write")
        except RuntimeError as exc:
            assert str(exc).startswith("MISCONF"), exc
    finally:
        server.stop()


# -- a volume on a release already installed: the StatefulSet's claim templates cannot change in place --

def test_enabling_persistence_on_a_running_standalone_release_carries_the_data(tmp_path: Path) -> None:
    values = """\
    architecture: standalone
    master:
      persistence:
        enabled: false
    """
    hit = _one(_check(tmp_path, "input.yaml", _hr(values), "cache"), "RL401")
    assert "--cascade=orphan" in hit.fix and "new, empty claim" in hit.fix, hit.fix
    # The chart's AOF is on: Redis loads the AOF directory, never dump.rdb, so that is what is carried over.
    assert "BGREWRITEAOF" in hit.fix and "appendonlydir" in hit.fix and "kubectl cp" in hit.fix, hit.fix
    assert "the pods keep running" not in hit.fix


def test_enabling_persistence_under_sentinel_says_what_keeps_the_data(tmp_path: Path) -> None:
    values = SENTINEL + "  persistence:\n    enabled: false\n"
    hit = _one(_check(tmp_path, "input.yaml", _hr(values), "cache"), "RL401")
    assert "one at a time" in hit.fix and "failed the master over" in hit.fix, hit.fix


def test_growing_a_volume_follows_the_statefulset_procedure(tmp_path: Path) -> None:
    values = """\
    architecture: standalone
    master:
      configuration: |
        maxmemory 900mb
        maxmemory-policy allkeys-lru
        save 900 1
      resources:
        limits:
          memory: 2Gi
      persistence:
        size: 2Gi
    """
    hit = _one(_check(tmp_path, "input.yaml", _hr(values), "cache"), "RL402")
    assert "Raise master.persistence.size to at least" in hit.fix
    assert "patch each PersistentVolumeClaim" in hit.fix and "--cascade=orphan" in hit.fix, hit.fix
    assert "kubectl edit pvc" not in hit.fix


# -- what a message says Redis does is what Redis does --

def _aof_write_fails(tmp_path: Path, fsync: str) -> tuple[list[object], bool]:
    """A running Redis whose next AOF file is /dev/full (ENOSPC on write): the replies to two writes, and
    whether the server is still running."""
    DataDirServer, binary = _redis()
    data = tmp_path / f"data-{fsync}"
    data.mkdir()
    (data / "redis.conf").write_text(f"appendonly yes\nappendfsync {fsync}\nsave \"\"\n")
    server = DataDirServer(binary, data, data / "redis.conf")
    replies: list[object] = []
    try:
        server.run(["SET", "a", "1"])
        # The rewrite opens the next incremental file (seq 2): point it at a device that is always full.
        (data / "appendonlydir" / "appendonly.aof.2.incr.aof").symlink_to("/dev/full")
        server.run(["BGREWRITEAOF"])
        deadline = time.monotonic() + 20
        while server.info("persistence")["aof_rewrite_in_progress"] != "0" and time.monotonic() < deadline:
            time.sleep(0.05)
        for key in ("b", "c"):
            try:
                replies.append(server.run(["SET", key, "2"])[0])
            except (RuntimeError, OSError) as exc:
                replies.append(exc)
            time.sleep(0.2)
        if fsync == "always":
            server.proc.wait(timeout=5)
        return replies, server.proc.poll() is None
    finally:
        server.stop()


def test_an_aof_write_error_exits_under_always_and_refuses_writes_otherwise(tmp_path: Path) -> None:
    replies, alive = _aof_write_fails(tmp_path, "always")
    assert not alive, replies  # "Can't recover from AOF write error when the AOF fsync policy is 'always'"
    replies, alive = _aof_write_fails(tmp_path, "everysec")
    assert alive and any(str(r).startswith("MISCONF") for r in replies), replies


def test_snapshots_on_disposable_data_says_what_an_aof_write_error_does(tmp_path: Path) -> None:
    always = _one(_check(tmp_path, "always.conf", "appendonly yes\nappendfsync always\nsave \"\"\n", "ephemeral"), "RL211")
    assert "stops Redis" in always.message and "MISCONF" not in always.message, always.message
    everysec = _one(_check(tmp_path, "everysec.conf", "appendonly yes\nsave \"\"\n", "ephemeral"), "RL211")
    assert "refuse writes (MISCONF" in everysec.message, everysec.message


def test_a_master_with_replicas_keeps_its_fork_finding_when_persistence_goes(tmp_path: Path) -> None:
    """Turning persistence off (RL211's fix) leaves the fork of every full sync: RL303 is not folded into it."""
    values = """\
    architecture: {arch}
    master:
      configuration: |
        maxmemory 900mb
        maxmemory-policy allkeys-lru
        save 900 1
      resources:
        limits:
          memory: 1Gi
    replica:
      replicaCount: 1
      resources:
        limits:
          memory: 2Gi
    """
    replicated = _check(tmp_path, "replicated.yaml", _hr(values.format(arch="replication")), "ephemeral")
    assert {"RL211", "RL303"} <= {f.rule for f in replicated if f.role == "master"}, \
        [(f.rule, f.role, f.message) for f in replicated]
    alone = _check(tmp_path, "alone.yaml", _hr(values.format(arch="standalone")), "ephemeral")
    assert "RL303" not in {f.rule for f in alone} and "RL211" in {f.rule for f in alone}
