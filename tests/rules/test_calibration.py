"""Severities and fixes an SRE signs off on, case by case, as the corpus review asked.

Each test is one reviewer's point, checked on a small config of the same shape: the severity under
the profile named, and the words of the fix that make it safe (or the absence of a fix that is not).
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.targets import TargetOptions


def _findings(tmp_path: Path, text: str, profile: str, name: str = "values.yaml", redis: str | None = None,
              select: tuple[str, ...] = ()):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    options = CheckOptions(profile=profile, select=select)
    if redis:
        options = dataclasses.replace(options, targets=TargetOptions(redis, None))
    report, _ = check_paths([str(path)], options)
    return report.findings


def _one(findings, rule: str):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.span.line, f.message) for f in findings]
    return found[0]


def test_a_dead_line_whose_behaviour_is_built_in_is_a_note_even_under_critical(tmp_path: Path) -> None:
    findings = _findings(tmp_path, "io-threads 4\nio-threads-do-reads yes\n", "critical", "redis.conf", "8.0")
    assert _one(findings, "RL020").severity.value == "note"


def test_an_ignored_key_that_touches_no_data_is_a_warning_under_critical(tmp_path: Path) -> None:
    values = """\
        architecture: standalone
        strategy:
          type: Recreate
        resources:
          requests:
            memory: 100Mi
        master:
          persistence:
            enabled: false
        """
    findings = _findings(tmp_path, values, "critical")
    by_line = {f.span.line: f for f in findings if f.rule == "RL101"}
    assert by_line[2].severity.value == "warning"  # strategy: how pods roll, not what they keep
    resources = by_line[4]
    assert resources.severity.value == "error"
    assert "resourcesPreset nano applies instead: limit 192Mi" in resources.message
    assert "add limits.memory" in resources.fix  # a requests-only master.resources drops the preset's limit
    assert not [f for f in findings if f.rule == "RL307"]  # the preset is RL101's consequence here


def test_moving_the_resources_as_the_fix_says_leaves_a_memory_limit(tmp_path: Path) -> None:
    values = """\
        architecture: standalone
        master:
          resources:
            requests:
              memory: 100Mi
            limits:
              memory: 256Mi
        """
    findings = _findings(tmp_path, values, "critical")
    assert not [f for f in findings if f.rule in ("RL101", "RL302", "RL307")]


def test_an_emptydir_under_sentinel_is_a_warning_in_baseline(tmp_path: Path) -> None:
    """Sentinel promotes a replica before a restarted node comes back empty, as a rule: likely, not certain."""
    values = """\
        architecture: replication
        sentinel:
          enabled: true
        replica:
          persistence:
            enabled: false
        """
    finding = _one(_findings(tmp_path, values, "baseline"), "RL401")
    assert finding.severity.value == "warning"
    assert "--cascade=orphan" in finding.fix and "commonConfiguration" in finding.fix


def test_an_emptydir_master_with_plain_replicas_stays_an_error_in_baseline(tmp_path: Path) -> None:
    """Without Sentinel every restart of the master pod comes back empty and the replicas follow it."""
    values = """\
        architecture: replication
        master:
          persistence:
            enabled: false
        replica:
          replicaCount: 2
        """
    assert _one(_findings(tmp_path, values, "baseline"), "RL401").severity.value == "error"


@pytest.mark.parametrize("profile,removes", [("session", False), ("critical", True)])
def test_stop_writes_no_is_kept_where_the_profile_calls_it_legitimate(tmp_path: Path, profile: str,
                                                                      removes: bool) -> None:
    finding = _one(_findings(tmp_path, "save 3600 1\nappendonly yes\nappendfsync always\n"
                             "stop-writes-on-bgsave-error no\n", profile, "redis.conf", select=("RL206",)), "RL206")
    assert ("remove `stop-writes-on-bgsave-error no`" in finding.fix) is removes
    assert "redis_rdb_last_bgsave_status" in finding.fix


def test_min_replicas_to_write_is_advised_for_what_it_does(tmp_path: Path) -> None:
    values = """\
        architecture: replication
        sentinel:
          enabled: true
        commonConfiguration: |
          appendonly yes
          appendfsync always
          save 900 1
        """
    finding = _one(_findings(tmp_path, values, "critical", select=("RL205",)), "RL205")
    assert "no replica has received" not in finding.fix
    assert "bounds what a failover loses to about 10 s" in finding.fix


def test_nothing_written_means_no_checksum_finding(tmp_path: Path) -> None:
    findings = _findings(tmp_path, 'save ""\nappendonly no\nrdbchecksum no\nmaxmemory 1gb\n', "session", "redis.conf")
    assert not [f for f in findings if f.rule == "RL208"]


def test_fork_fixes_never_lower_maxmemory_under_a_profile_that_keeps_every_key(tmp_path: Path) -> None:
    values = """\
        architecture: standalone
        master:
          configuration: |
            maxmemory 900mb
          resources:
            limits:
              memory: 1Gi
        """
    queue = _one(_findings(tmp_path, values, "queue", select=("RL303",)), "RL303")
    assert queue.fix.startswith("Raise master.resources.limits.memory to 2Gi") and "lower maxmemory to" not in queue.fix
    baseline = _one(_findings(tmp_path, values, "baseline", select=("RL303",)), "RL303")
    assert baseline.fix.startswith("Raise master.resources.limits.memory to 2Gi")
    assert "used_memory" in baseline.fix and "refuses writes (noeviction)" in baseline.fix


def test_an_unbounded_data_set_on_a_test_preset_is_fixed_by_sizing_first(tmp_path: Path) -> None:
    values = """\
        architecture: standalone
        master:
          persistence:
            enabled: false
        """
    finding = _one(_findings(tmp_path, values, "baseline", select=("RL303",)), "RL303")
    assert finding.fix.startswith("If the data is disposable, turn persistence off")
    assert "resourcesPreset nano is a test size" in finding.fix
    assert "with noeviction, the default, Redis refuses writes at that size" in finding.fix


def test_an_ignored_block_that_sets_nothing_is_a_warning_under_critical(tmp_path: Path) -> None:
    """`redisslave:` at column 0 swallows an empty `resources: {}`: nothing the person wrote is lost today,
    and the missing memory limit is RL302's finding, not a second error here."""
    values = """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: redis
          namespace: apps
        spec:
          chart:
            spec:
              chart: redis-ha
              version: 4.12.0
          values:
            redis:
              config:
                maxmemory: "1gb"
            redisslave:
              enabled: false
              port: 6380
              resources: {}
        """
    hit = _one(_findings(tmp_path, values, "critical", "release.yaml", select=("RL101",)), "RL101")
    assert hit.severity.value == "warning", hit.message
    assert "it holds resources" not in hit.message


def test_fsync_paused_during_rewrites_is_a_warning_for_a_cache_and_an_error_for_a_queue(tmp_path: Path) -> None:
    conf = "appendonly yes\nno-appendfsync-on-rewrite yes\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n"
    assert _one(_findings(tmp_path, conf, "cache", "redis.conf"), "RL207").severity.value == "warning"
    assert _one(_findings(tmp_path, conf.replace("allkeys-lru", "noeviction"), "queue", "queue.conf"),
                "RL207").severity.value == "error"


@pytest.mark.parametrize("aof,severity", [("no", "warning"), ("yes", "note")])
def test_bgsave_errors_ignored_weighs_more_where_the_snapshots_are_all_that_persists(
        tmp_path: Path, aof: str, severity: str) -> None:
    conf = f"save 3600 1\nappendonly {aof}\nstop-writes-on-bgsave-error no\nmaxmemory 450mb\n"
    hit = _one(_findings(tmp_path, conf, "session", "redis.conf", select=("RL206",)), "RL206")
    assert hit.severity.value == severity, hit.message
    assert ("all that persists" in hit.message) is (aof == "no")


def test_a_latent_rdbchecksum_no_goes_with_the_fix_that_turns_persistence_back_on(tmp_path: Path) -> None:
    """Nothing is written today; the fix that turns the AOF (cache) or the snapshots (critical) back on removes
    the line too, in one finding, and the line's own message names what it would affect."""
    conf = "save \"\"\nappendonly no\nrdbchecksum no\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n"
    cache = _findings(tmp_path, conf, "cache", "redis.conf")
    assert "RL208" not in {f.rule for f in cache}
    aof = _one(cache, "RL203")
    assert "RDB base" in aof.message and "remove `rdbchecksum no`" in aof.fix, aof.fix
    critical = _findings(tmp_path, conf.replace("allkeys-lru", "noeviction"), "critical", "critical.conf")
    assert "RL208" not in {f.rule for f in critical}
    assert any("remove `rdbchecksum no`" in f.fix for f in critical if f.rule in ("RL201", "RL203"))
    alone = _one(_findings(tmp_path, conf, "cache", "alone.conf", select=("RL208",)), "RL208")
    assert "the AOF profile cache requires (RL203)" in alone.message and "snapshots profile" not in alone.message


def test_an_image_tag_narrows_the_chart_version_but_not_its_default_preset(tmp_path: Path) -> None:
    """An image.tag is often set because it differs from the chart's default: it points to 18.0.4–18.1.2, but
    "no limit, no preset" would be false from 19.0.0 (nano), so the finding says what it assumes."""
    values = """\
        architecture: standalone
        image:
          registry: docker.io
          repository: bitnami/redis
          tag: 7.2.1-debian-11-r0
        master:
          persistence:
            size: 8Gi
        """
    hit = _one(_findings(tmp_path, values, "critical", select=("RL302",)), "RL302")
    assert hit.severity.value == "warning" and "rests on an assumption" in hit.message, hit.message
    assert "192Mi" in hit.message, hit.message
