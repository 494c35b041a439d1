"""Advice that fits the topology: nothing advised makes Redis refuse writes in the deployment at hand,
and failover is spoken of only where something fails over."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import require_redis_server, run_server

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ledger
  namespace: payments
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
"""
CRITICAL_CONF = """\
commonConfiguration: |
  appendonly yes
  appendfsync always
  save 300 1
"""


def _check(tmp_path: Path, values: str, profile: str = "critical", name: str = "hr.yaml", raw: bool = False):
    text = values if raw else HR + textwrap.indent(textwrap.dedent(values), "    ")
    (tmp_path / name).write_text(text)
    report, _ = check_paths([str(tmp_path / name)], CheckOptions(profile=profile))
    return report.findings


def _advises_min_replicas(findings) -> list:
    """Findings whose fix tells the user to set min-replicas-to-write."""
    return [f for f in findings if "min-replicas-to-write" in f.fix
            and not f.fix.startswith(("Remove", "Lower", "Run"))]


def test_min_replicas_to_write_without_replicas_refuses_every_write() -> None:
    """The reason for the topology rule, asked of a real server: no replica, no write."""
    binary = require_redis_server()
    refused = run_server(binary, "min-replicas-to-write 1\nmin-replicas-max-lag 10\n",
                         patterns=["min-replicas-to-write"], commands=[["SET", "k", "v"], ["GET", "k"]])
    assert refused.config == {"min-replicas-to-write": "1"}
    assert isinstance(refused.replies[0], RuntimeError) and str(refused.replies[0]).startswith("NOREPLICAS")
    assert refused.replies[1] is None  # nothing was written
    accepted = run_server(binary, "min-replicas-to-write 0\n", patterns=["min-replicas-to-write"],
                          commands=[["SET", "k", "v"], ["GET", "k"]])
    assert accepted.replies == ["OK", "v"]


@pytest.mark.parametrize("values", [
    pytest.param("architecture: standalone\n" + CRITICAL_CONF, id="standalone"),
    pytest.param("architecture: replication\nreplica:\n  replicaCount: 2\n" + CRITICAL_CONF,
                 id="replication-without-sentinel"),
    pytest.param("architecture: replication\nsentinel:\n  enabled: true\nreplica:\n  replicaCount: 2\n"
                 + CRITICAL_CONF, id="sentinel-with-one-replica-following"),
])
def test_critical_never_advises_min_replicas_that_would_stop_writes(tmp_path: Path, values: str) -> None:
    findings = _check(tmp_path, values)
    assert not _advises_min_replicas(findings), [(f.rule, f.fix) for f in findings]


def test_a_bare_redis_conf_is_not_advised_min_replicas(tmp_path: Path) -> None:
    findings = _check(tmp_path, "appendonly yes\nappendfsync always\nsave 300 1\n", name="redis.conf", raw=True)
    assert not _advises_min_replicas(findings), [(f.rule, f.fix) for f in findings]


def test_sentinel_with_two_replicas_following_is_advised_min_replicas(tmp_path: Path) -> None:
    values = "architecture: replication\nsentinel:\n  enabled: true\nreplica:\n  replicaCount: 3\n" + CRITICAL_CONF
    advised = _advises_min_replicas(_check(tmp_path, values))
    assert [f.rule for f in advised] == ["RL205"]
    assert "Sentinel promotes a replica" in advised[0].message
    assert "min-replicas-to-write 1" in advised[0].fix


def test_one_replica_is_told_what_min_replicas_would_do_to_it(tmp_path: Path) -> None:
    """A custom profile that wants min-replicas-to-write 1 with a single replica: writes stop while it restarts."""
    profile = tmp_path / "team.yaml"
    profile.write_text("name: team\nextends: critical\nsettings:\n  min_replicas: 1\n")
    values = "architecture: replication\nsentinel:\n  enabled: true\nreplica:\n  replicaCount: 2\n" + CRITICAL_CONF
    found = [f for f in _check(tmp_path, values, profile=str(profile)) if f.rule == "RL205"]
    assert len(found) == 1
    assert "refuse every write while one of them restarts" in found[0].message
    assert found[0].fix.startswith("Run at least 2 replicas")


def test_failover_is_spoken_of_only_where_something_fails_over(tmp_path: Path) -> None:
    plain = _check(tmp_path, "architecture: replication\nreplica:\n  replicaCount: 1\n" + CRITICAL_CONF)
    (rl501,) = [f for f in plain if f.rule == "RL501" and f.role == "master"]
    assert "replicas are copies, not automatic standbys" in rl501.message
    assert not [f for f in plain if "failover" in f.message.lower() or "promotes a replica" in f.message]
    sentinel = _check(tmp_path, "architecture: replication\nsentinel:\n  enabled: true\nreplica:\n"
                                "  replicaCount: 2\n" + CRITICAL_CONF)
    assert not [f for f in sentinel if "not automatic standbys" in f.message]
