"""Replicas are copies: their memory is judged against the master's data set, and a value every role
gets from one place is one finding whose fix covers every role.

A real redis-server shows what the rules rest on: a replica keeps every key its master sends even
far above its own maxmemory (replica-ignore-maxmemory yes), so advice to set maxmemory or a policy
on it would change nothing.
"""

from __future__ import annotations

import re
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import DataDirServer, require_redis_server

# Bitnami replication without Sentinel: nothing promotes the replica.
REPLICATION = """\
architecture: replication
master:
  configuration: |
    maxmemory 900mb
    maxmemory-policy allkeys-lru
  resources:
    limits:
      memory: 2Gi
replica:
  replicaCount: 2
  configuration: |
    maxmemory-policy noeviction
  resources:
    limits:
      memory: 2Gi
"""


def _check(tmp_path: Path, text: str, profile: str, name: str = "values.yaml", select: tuple[str, ...] = ()):
    path = tmp_path / name
    path.write_text(text)
    report, targets = check_paths([str(path)], CheckOptions(profile=profile, select=select))
    return report.findings


def _rules_for(findings, role: str) -> set[str]:
    return {f.rule for f in findings if role in f.role.split(", ")}


@pytest.mark.parametrize("profile", ["ephemeral", "session", "cache", "queue", "critical"])
def test_no_maxmemory_or_eviction_advice_for_a_replica_nothing_promotes(tmp_path: Path, profile: str) -> None:
    findings = _check(tmp_path, REPLICATION.replace("    maxmemory 900mb\n", ""), profile)
    assert not _rules_for(findings, "replica") & {"RL301", "RL305", "RL306", "RL304"}, \
        [(f.rule, f.role, f.message) for f in findings]
    # The master is judged as before: no maxmemory is its finding, where the profile asks for one.
    if profile != "baseline":
        assert "RL301" in _rules_for(findings, "master")


def test_under_sentinel_every_node_may_become_master_and_is_judged_as_one(tmp_path: Path) -> None:
    sentinel = "architecture: replication\nsentinel:\n  enabled: true\nreplica:\n  configuration: |\n" \
               "    maxmemory-policy noeviction\n"
    findings = _check(tmp_path, sentinel, "cache")
    assert "RL301" in _rules_for(findings, "node")


def test_a_replica_that_enforces_its_own_maxmemory_is_judged_on_it(tmp_path: Path) -> None:
    text = REPLICATION.replace("    maxmemory-policy noeviction\n",
                               "    maxmemory-policy noeviction\n    replica-ignore-maxmemory no\n    maxmemory 900mb\n")
    findings = _check(tmp_path, text, "cache")
    assert "RL305" in _rules_for(findings, "replica")


def test_fork_headroom_of_a_replica_uses_the_masters_data_set(tmp_path: Path) -> None:
    text = REPLICATION.replace("      memory: 2Gi\n", "      memory: 2Gi\n", 1)
    text = text[::-1].replace("iG2 :yromem", "iG5.1 :yromem", 1)[::-1]  # the replica's limit only
    findings = _check(tmp_path, text, "cache", select=("RL303", "RL309"))
    replica = [f for f in findings if f.role == "replica"]
    assert [f.rule for f in replica] == ["RL303"], [(f.rule, f.message) for f in findings]
    assert "900mb dataset (the master's maxmemory" in replica[0].message
    assert replica[0].fix.startswith("Raise replica.resources.limits.memory to 2Gi")
    assert "Lower maxmemory" not in replica[0].fix


def _fix_lines(fix: str) -> list[str]:
    """The config lines a `Write commonConfiguration with ...` fix names."""
    head = fix.split("(", 1)[0]
    return re.findall(r"`([^`]+)`", head)


@pytest.mark.parametrize("profile,rules", [("ephemeral", {"RL211"}), ("critical", {"RL201", "RL204", "RL205"})])
def test_a_chart_default_every_role_runs_is_one_finding_and_its_fix_covers_every_role(
        tmp_path: Path, profile: str, rules: set[str]) -> None:
    values = "architecture: replication\nmaster:\n  resources:\n    limits:\n      memory: 1Gi\n" \
             "replica:\n  replicaCount: 2\n  resources:\n    limits:\n      memory: 1Gi\n"
    findings = [f for f in _check(tmp_path, values, profile) if f.rule in rules]
    assert len(findings) == 1, [(f.rule, f.role) for f in findings]
    owner = findings[0]
    assert owner.role == "master, replica"
    assert owner.fix.startswith("Write commonConfiguration with"), owner.fix
    common = textwrap.indent("\n".join(_fix_lines(owner.fix)), "  ")
    fixed = _check(tmp_path, f"{values}commonConfiguration: |\n{common}\n", profile, "fixed.yaml")
    assert not [f for f in fixed if f.rule in rules], [(f.rule, f.role, f.message) for f in fixed]


def test_a_rendered_configmap_repeats_nothing_for_the_replica(tmp_path: Path) -> None:
    cm = textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-configuration
        data:
          redis.conf: |-
            appendonly yes
            save ""
          master.conf: |-
            dir /data
          replica.conf: |-
            dir /data
        """)
    findings = _check(tmp_path, cm, "critical", "cm.yaml")
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert set(by_rule) >= {"RL201", "RL204"}
    for rule, fs in by_rule.items():
        assert len(fs) == 1, (rule, [(f.role, f.span.line) for f in fs])
    assert by_rule["RL204"][0].span.line == 6  # redis.conf, which both roles read
    assert "RL301" in by_rule and by_rule["RL301"][0].role == "master"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_replica_keeps_every_key_far_above_its_own_maxmemory(tmp_path: Path) -> None:
    binary = require_redis_server()
    conf = tmp_path / "empty.conf"
    conf.write_text('save ""\nappendonly no\n')
    port = _free_port()
    (tmp_path / "m").mkdir()
    (tmp_path / "r").mkdir()
    master = DataDirServer(binary, tmp_path / "m", conf, ["--port", str(port), "--bind", "127.0.0.1"])
    try:
        replica = DataDirServer(binary, tmp_path / "r", conf, ["--replicaof", "127.0.0.1", str(port),
                                                               "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"])
        try:
            value = "x" * 1024
            for start in range(0, 8000, 500):
                master.run(*[["SET", f"k{i}", value] for i in range(start, start + 500)])
            deadline = time.monotonic() + 30
            while True:
                info = replica.info("replication")
                if info.get("master_link_status") == "up" and replica.run(["DBSIZE"]) == ["8000"]:
                    break
                assert time.monotonic() < deadline, info
                time.sleep(0.1)
            memory, stats = replica.info("memory"), replica.info("stats")
            assert int(memory["used_memory"]) > 4 * int(memory["maxmemory"])  # 8 MB of data, 2 MB cap
            assert stats["evicted_keys"] == "0"
            assert replica.run(["CONFIG", "GET", "replica-ignore-maxmemory"]) == [["replica-ignore-maxmemory", "yes"]]
        finally:
            replica.stop()
    finally:
        master.stop()
