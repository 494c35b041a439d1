"""`redislint effective`: the JSON contract, the runbook's examples, and every realistic file
(the project's fixtures always, the shared corpus when present)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_corpus import shared_corpus

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = ROOT / "tests" / "fixtures" / "runbook"
CORPUS = shared_corpus()


def effective_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["effective", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_contract_fields() -> None:
    data = effective_json(str(ROOT / "examples" / "helmrelease.yaml"))
    assert data["version"] == 1
    master = next(t for t in data["targets"] if t["role"] == "master")
    for key in ("path", "name", "kind", "role", "chart", "chart_version", "redis_version", "config",
                "memory_request_bytes", "memory_limit_bytes", "memory_limit_source", "persistent",
                "storage_size_bytes", "replicas", "errors"):
        assert key in master
    assert master["name"] == "redis/redis"
    assert master["chart"] == "bitnami/redis" and master["chart_version"] == "19.6.4"
    assert master["memory_limit_bytes"] == 1024**3 and master["memory_limit_source"] == "resources"
    assert master["config"]["maxmemory"]["value"] == str(900 * 1024**2)
    assert master["config"]["maxmemory"]["line"] == 37
    save = master["config"]["save"]
    assert save["value"] == "300 10"
    assert [h["layer"] for h in save["history"]][:2] == ["Redis 7.2 default", "chart default commonConfiguration"]


def test_runbook_step4_every_rejected_line_is_listed() -> None:
    data = effective_json(str(RUNBOOK / "step4-values.yaml"))
    master = next(t for t in data["targets"] if t["role"] == "master")
    # The three `save ... # comment` lines and `appendfsync everysec  # ...` make Redis exit.
    assert sorted(e["line"] for e in master["errors"]) == [10, 11, 12, 17]
    assert {e["reason"] for e in master["errors"]} == {"Invalid save parameters", "wrong number of arguments"}
    # Redis stops at the first error, but every other line is still read as Redis would.
    assert master["config"]["appendonly"]["value"] == "yes"


def test_runbook_critical_block_yaml_lines_are_rejected() -> None:
    data = effective_json(str(RUNBOOK / "critical.yaml"))
    master = next(t for t in data["targets"] if t["role"] == "master")
    rejected = {e["line"]: e for e in master["errors"]}
    assert {5, 8, 11, 12} <= set(rejected)
    assert rejected[11]["directive"] == "replica:"


def test_runbook_session_and_cache_blocks() -> None:
    session = next(t for t in effective_json(str(RUNBOOK / "session.yaml"))["targets"] if t["role"] == "master")
    assert [e["line"] for e in session["errors"]] == [5]
    cache = next(t for t in effective_json(str(RUNBOOK / "cache.yaml"))["targets"] if t["role"] == "master")
    assert cache["errors"] == []
    assert cache["config"]["save"]["value"] == "900 1 300 10"
    assert cache["config"]["maxmemory"]["value"] == "0"


def test_text_output_shows_the_chain() -> None:
    result = CliRunner().invoke(main, ["effective", str(ROOT / "examples" / "helmrelease.yaml"), "--role", "master"])
    assert result.exit_code == 0
    assert "chart default commonConfiguration" in result.output
    assert "Redis would refuse to start" in result.output


def test_secrets_are_redacted_in_effective() -> None:
    result = CliRunner().invoke(main, ["effective", "--all", "--format", "json", "-"],
                                input="requirepass hunter2-zebra\nappendonly yes\n")
    assert result.exit_code == 0, result.output
    assert "hunter2-zebra" not in result.output


def _realistic(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".conf"))


@pytest.mark.parametrize("path", _realistic(ROOT / "tests" / "fixtures") + _realistic(ROOT / "examples"),
                         ids=lambda p: p.name)
def test_every_project_fixture_goes_through_effective(path: Path) -> None:
    _goes_through_effective(path)


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", _realistic(CORPUS) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_every_corpus_file_goes_through_effective(path: Path) -> None:
    _goes_through_effective(path)


def _goes_through_effective(path: Path) -> None:
    for fmt in ("json", "text"):
        result = CliRunner().invoke(main, ["effective", "--all", "--format", fmt, str(path)])
        assert result.exit_code == 0, result.output
        assert "internal error" not in result.output
