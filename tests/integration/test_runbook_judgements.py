"""The runbook's own examples, judged as a Redis expert would (issue: profiles and rules)."""

from __future__ import annotations

from pathlib import Path

from redislint.engine import CheckOptions, check_paths

RUNBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "runbook"


def findings(name: str, profile: str) -> list:
    report, _ = check_paths([str(RUNBOOK / name)], CheckOptions(profile=profile))
    return report.findings


def errors(name: str, profile: str) -> list:
    return [f for f in findings(name, profile) if f.severity.value == "error"]


def test_step4_values_rejected_for_trailing_comments() -> None:
    found = [(f.rule, f.span.line) for f in findings("step4-values.yaml", "cache") if f.rule == "RL013"]
    assert found == [("RL013", 10), ("RL013", 11), ("RL013", 12), ("RL013", 17)]


def test_session_block_rejected_for_its_trailing_comment() -> None:
    assert [(f.rule, f.span.line) for f in errors("session.yaml", "session") if f.rule == "RL013"] == [("RL013", 5)]


def test_critical_block_rejected_for_trailing_comments_and_yaml_lines() -> None:
    found = sorted((f.rule, f.span.line) for f in errors("critical.yaml", "critical") if f.rule in ("RL013", "RL014"))
    assert found == [("RL013", 5), ("RL013", 8), ("RL014", 11), ("RL014", 12)]


def test_corrected_session_block_passes_session() -> None:
    assert errors("session-fixed.yaml", "session") == []


def test_corrected_critical_block_passes_critical() -> None:
    assert errors("critical-fixed.yaml", "critical") == []


def test_cache_block_gets_eviction_policy_without_maxmemory() -> None:
    # Under cache maxmemory is required: RL301 reports the one decision, with the inert policy in it.
    found = findings("cache.yaml", "cache")
    assert not [f for f in found if f.rule == "RL306"]
    rl301 = [f for f in found if f.rule == "RL301"]  # master and replicas (replication is the chart default)
    assert any("maxmemory-policy allkeys-lfu never evicts anything" in f.message for f in rl301)
    # Under baseline maxmemory is not required; the AOF forks, so RL303 sizes what the limit allows and
    # says the policy never acts (RL306 defers to it).
    found = findings("cache.yaml", "baseline")
    assert not [f for f in found if f.rule == "RL306"]
    rl303 = [f for f in found if f.rule == "RL303" and f.role == "master"]
    assert len(rl303) == 1 and "maxmemory-policy allkeys-lfu never evicts anything" in rl303[0].message
    assert rl303[0].severity.value == "warning"
