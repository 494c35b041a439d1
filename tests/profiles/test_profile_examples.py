"""Each built-in profile, on configs its own description calls good (no error) and on configs that break it.

The good configs are tests/fixtures/realistic/: written in the shapes people deploy (Bitnami values,
Flux HelmReleases, a redis.conf ConfigMap), each for one kind of data. Under `baseline` (the
default) none of them gets an error: a sensible cache, session store or queue is not wrong for
every kind of data.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.profiles import BUILTIN_PROFILES

REALISTIC = Path(__file__).resolve().parents[1] / "fixtures" / "realistic"

# What each profile's description calls good, as someone would deploy it.
GOOD = {
    "ephemeral": ["cache-ephemeral-helmrelease.yaml"],
    "session": ["session-store-values.yaml", "session-aof-helmrelease.yaml"],
    "cache": ["cache-warm-values.yaml", "session-aof-helmrelease.yaml"],
    "queue": ["queue-bullmq-values.yaml"],
    "critical": ["critical-ledger-values.yaml"],
}


def _findings(path: Path, profile: str) -> list:
    report, _ = check_paths([str(path)], CheckOptions(profile=profile))
    return report.findings


def _errors(path: Path, profile: str) -> list:
    return [(f.rule, f.message) for f in _findings(path, profile) if f.severity.value == "error"]


def test_every_profile_has_a_good_example() -> None:
    assert set(GOOD) == set(BUILTIN_PROFILES) - {"baseline"}


@pytest.mark.parametrize("name", sorted(p.name for p in REALISTIC.glob("*.yaml")))
def test_no_realistic_config_gets_an_error_under_baseline(name: str) -> None:
    assert _errors(REALISTIC / name, "baseline") == []


@pytest.mark.parametrize("profile,name", [(p, n) for p, names in GOOD.items() for n in names])
def test_what_a_profile_calls_good_gets_no_error_under_it(profile: str, name: str) -> None:
    assert _errors(REALISTIC / name, profile) == []


@pytest.mark.parametrize("profile,name", [(p, n) for p, names in GOOD.items() for n in names])
def test_what_a_profile_calls_good_gets_no_warning_either(profile: str, name: str) -> None:
    """A good config is not nagged: warnings would teach people to ignore the tool."""
    assert [(f.rule, f.message) for f in _findings(REALISTIC / name, profile) if f.severity.value == "warning"] == []


# -- what each profile calls bad ------------------------------------------------------------------

def _write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


BAD = [
    # (profile, file name, content, rules that must report an error, why)
    ("baseline", "redis.conf", "appendonly yes\nauto-aof-rewrite-percentage 0\n", {"RL209"},
     "an AOF that is never rewritten fills any disk"),
    ("baseline", "values.yaml", """\
        architecture: standalone
        master:
          configuration: |
            maxmemory 2gb
          resources:
            limits:
              memory: 1Gi
        """, {"RL304"}, "maxmemory above the limit: OOM-killed before eviction"),
    ("baseline", "values.yaml", """\
        architecture: replication
        commonConfiguration: |
          appendonly no
          save ""
        """, {"RL406"}, "a restarted master that persists nothing wipes its replicas"),
    ("ephemeral", "redis.conf", "save \"\"\nmaxmemory 256mb\n", {"RL305"},
     "noeviction (the default) refuses writes when the cache is full"),
    ("ephemeral", "redis.conf", "save \"\"\nmaxmemory-policy allkeys-lru\n", {"RL301"},
     "a cache without maxmemory never evicts"),
    ("session", "redis.conf", "appendonly no\nsave \"\"\nmaxmemory 256mb\nmaxmemory-policy allkeys-lru\n", {"RL205"},
     "nothing persisted: every restart logs everyone out"),
    ("session", "values.yaml", """\
        architecture: standalone
        master:
          configuration: |
            maxmemory 200mb
            maxmemory-policy allkeys-lru
          persistence:
            enabled: false
        """, {"RL401"}, "snapshots in an emptyDir do not survive a rescheduled pod"),
    ("cache", "redis.conf", "appendonly no\nsave 900 1\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n", {"RL203"},
     "900 s of loss against a 1 s window"),
    ("cache", "redis.conf", "appendonly yes\nappendfsync no\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n",
     {"RL204"}, "about 30 s of kernel writeback"),
    ("queue", "redis.conf", "appendonly yes\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n", {"RL305"},
     "an evicting policy silently drops jobs"),
    ("queue", "redis.conf", "appendonly yes\nmaxmemory-policy noeviction\n", {"RL301"},
     "a backlog without maxmemory is OOM-killed instead of refused"),
    ("critical", "redis.conf", "appendonly yes\nappendfsync everysec\nsave 300 1\nmaxmemory 1gb\n", {"RL204"},
     "everysec loses up to a second of acknowledged writes of record"),
]


@pytest.mark.parametrize("profile,name,content,rules,why", BAD, ids=[f"{b[0]}-{b[4][:40]}" for b in BAD])
def test_what_a_profile_calls_bad_is_an_error(tmp_path: Path, profile: str, name: str, content: str,
                                              rules: set[str], why: str) -> None:
    errors = {rule for rule, _ in _errors(_write(tmp_path, content, name), profile)}
    assert rules <= errors, (why, errors)
