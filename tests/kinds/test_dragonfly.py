"""Dragonfly: flags modelled as the Redis settings they mean, the snapshot cron as the data-loss window,
maxmemory from the memory limit, the snapshot volume, and no fork-headroom rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.inputs import load_inputs
from redislint.kinds.cron import longest_gap_seconds
from redislint.targets import Discovery, find_targets

CACHE = """\
apiVersion: dragonflydb.io/v1alpha1
kind: Dragonfly
metadata:
  name: sessions
  namespace: apps
spec:
  replicas: 2
  image: docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1
  args:
    - --cache_mode=true
  resources:
    requests:
      memory: 2Gi
    limits:
      memory: 4Gi
  snapshot:
    cron: "*/5 * * * *"
    persistentVolumeClaimSpec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 20Gi
"""
BARE = """\
apiVersion: dragonflydb.io/v1alpha1
kind: Dragonfly
metadata:
  name: scratch
spec:
  replicas: 1
  resources:
    limits:
      memory: 1Gi
"""


def targets(tmp_path: Path, text: str, found: Discovery | None = None):
    path = tmp_path / "df.yaml"
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return find_targets(inputs.yaml_files, inputs.conf_files, found=found)


def findings(tmp_path: Path, text: str, profile: str, rule: str | None = None):
    path = tmp_path / "df.yaml"
    path.write_text(textwrap.dedent(text))
    report, _ = check_paths([str(path)], CheckOptions(profile=profile, select=(rule,) if rule else ()))
    return [f for f in report.findings if rule is None or f.rule == rule]


@pytest.mark.parametrize("cron,seconds", [
    ("*/5 * * * *", 300), ("0 * * * *", 3600), ("0 */6 * * *", 21600), ("15 3 * * *", 86400),
    ("0 9-17 * * 1-5", 64 * 3600),  # Friday 17:00 to Monday 09:00
    ("0,30 * * * *", 1800), ("0 0 * * sun", 7 * 86400),
])
def test_a_cron_schedule_means_its_longest_gap(cron: str, seconds: int) -> None:
    assert longest_gap_seconds(cron) == seconds


@pytest.mark.parametrize("cron", ["0 0 1 * *", "@hourly", "*/0 * * * *", "0 0 * * * *", "61 * * * *"])
def test_schedules_not_worked_out_are_said_so(cron: str) -> None:
    assert longest_gap_seconds(cron) is None


def test_the_cron_is_the_snapshot_interval_and_maxmemory_is_80_percent_of_the_limit(tmp_path: Path) -> None:
    found = Discovery()
    (t,) = targets(tmp_path, CACHE, found=found)
    assert (t.chart, t.kind, t.role, t.mode, t.chart_version) == ("dragonfly", "Dragonfly", "server", "replication",
                                                                  "v1.40.1")
    assert t.value("appendonly") == "no"
    assert t.value("save") == "300 1"
    assert t.evaluation.settings["save"].winner.line.span.line == 17  # the cron line
    assert t.value("maxmemory") == str(int(4 * 1024 ** 3 * 0.8) // 1024 ** 2 * 1024 ** 2)
    assert t.evaluation.settings["maxmemory"].winner.line.span.line == 15  # the memory limit
    assert t.value("maxmemory-policy") == "allkeys-lru"  # --cache_mode=true
    assert (t.facts.persistent.value, t.facts.storage_size.value, t.facts.pods.value) == (True, 20 * 1024 ** 3, 2)
    assert t.value("dir") == "/dragonfly/snapshots"
    assert found.problems == []


def test_an_explicit_maxmemory_flag_wins(tmp_path: Path) -> None:
    (t,) = targets(tmp_path, CACHE.replace("    - --cache_mode=true", "    - --maxmemory=3gb"))
    assert t.value("maxmemory") == str(3 * 1024 ** 3)
    assert t.value("maxmemory-policy") == "noeviction"


def test_without_a_snapshot_nothing_is_durable(tmp_path: Path) -> None:
    (t,) = targets(tmp_path, BARE)
    assert t.value("save") == "" and t.value("appendonly") == "no"
    assert t.facts.persistent.value is False
    (window,) = findings(tmp_path, BARE, "session", "RL205")
    assert "unbounded" in window.message and "spec.snapshot.cron" in window.fix
    (volume,) = findings(tmp_path, BARE, "session", "RL401")
    assert "persistentVolumeClaimSpec" in volume.fix


def test_the_cron_window_is_judged_against_the_profile(tmp_path: Path) -> None:
    (f,) = findings(tmp_path, CACHE, "cache", "RL205")
    assert f.span.line == 17 and "300 s" in f.message and "no AOF" in f.fix
    assert findings(tmp_path, CACHE.replace("*/5 * * * *", "* * * * *"), "session", "RL205") == []


def test_rules_about_forks_and_aof_directives_do_not_judge_dragonfly(tmp_path: Path) -> None:
    # 4Gi limit, 3.2Gi maxmemory: a Redis would need 2x for the fork; Dragonfly's snapshot does not fork.
    assert findings(tmp_path, CACHE, "cache", "RL303") == []
    assert findings(tmp_path, CACHE, "cache", "RL203") == []  # no AOF to switch on
    rules = {f.rule for f in findings(tmp_path, CACHE, "critical")}
    assert rules <= {"RL003", "RL201", "RL205", "RL302", "RL304", "RL305", "RL308", "RL401", "RL402", "RL406",
                     "RL501", "RL801"}


def test_explain_says_the_fork_headroom_rule_does_not_judge_dragonfly_and_why() -> None:
    from click.testing import CliRunner

    from redislint.cli import main

    result = CliRunner().invoke(main, ["explain", "RL303"])
    assert result.exit_code == 0
    (line,) = [line for line in result.output.splitlines() if line.startswith("Not judged for: ")]
    assert "Dragonfly operator: Dragonfly snapshots without forking" in line
    assert "OT-Container-Kit" not in line  # the OT operator's pods fork like any Redis
