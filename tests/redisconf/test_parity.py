"""Differential tests: redislint must read every fragment exactly as a real redis-server does.

For each case the server is started (all cases in parallel, once per session) and we compare:
whether it starts; if not, the reason text, the line number and the echoed line; if it does,
every value CONFIG GET returns (all names, hidden ones included) against our evaluation.
The model is fed the exact input the server got, harness options included (see
tests/redis_server.py), so the harness never has to be "subtracted".
"""

from __future__ import annotations

import fnmatch
import os

import pytest

import redis_server as rs
from redislint.model import Span
from redislint.redisconf import (
    ConfigSource,
    ConfLine,
    DirectiveTable,
    Evaluation,
    Include,
    RedisVersion,
    evaluate,
    lines_from_argv,
    parse_conf,
    parse_version,
)

from .helpers import FakeEmbedded
from .parity_cases import CASES, Case

# Errors Redis reports after reading the config, without a line number.
_NO_LINE = frozenset({"cluster-replicaof", "module-config", "acl-load"})
_GLOB = frozenset("*?[")


@pytest.fixture(scope="session")
def server() -> tuple[str, RedisVersion]:
    binary = rs.require_redis_server()
    flavor, number = rs.server_version(binary)
    version = parse_version(number, flavor)  # type: ignore[arg-type]
    assert version is not None
    return binary, version


@pytest.fixture(scope="session")
def results(server: tuple[str, RedisVersion]) -> dict[str, rs.RedisRun]:
    binary, version = server
    hidden = [i.name for i in DirectiveTable.for_version(version).settings() if i.hidden]
    jobs = {c.id: dict(conf_text=c.conf, argv=list(c.argv), files=c.files,
                       patterns=["*", *hidden], password=c.password) for c in CASES}
    return rs.run_many(binary, jobs)


def _resolve(lines: list[ConfLine], run: rs.RedisRun, version: RedisVersion) -> list:
    """Replace include lines by the files the test wrote (the linter never reads disk)."""
    out: list = []
    for line in lines:
        if line.role != "include" or line.fatal or not line.value:
            out.append(line)
            continue
        rel = os.path.relpath(line.value, run.tmp)
        if _GLOB & set(rel):
            names = sorted(n for n in run.files if fnmatch.fnmatch(n, rel))
            if not names:
                out.append(line)  # a glob that matches nothing: no nested call at all
                continue
            text, layer = "".join(run.files[n] for n in names), rel
        elif rel in run.files:
            text, layer = run.files[rel], rel
        else:
            out.append(line)
            continue
        inner = parse_conf(FakeEmbedded(text, layer), layer, version)
        out.append(Include(ConfigSource(layer, tuple(_resolve(inner, run, version))), line.span))
    return out


def model(run: rs.RedisRun, version: RedisVersion) -> tuple[Evaluation, int]:
    """Our evaluation of the exact input the server got, and the file's newline count."""
    items: list = []
    newlines = 0
    if run.conf_text is not None:
        lines = parse_conf(FakeEmbedded(run.conf_text), "redis.conf", version)
        items += _resolve(lines, run, version)
        newlines = run.conf_text.count("\n")
    argv = [(a, Span("argv", 1, i + 1, 1, i + 2)) for i, a in enumerate(run.argv)]
    items += _resolve(lines_from_argv(argv, "argv", version), run, version)
    return evaluate(ConfigSource("top", tuple(items)), version), newlines


def redis_line_number(line: ConfLine, newlines: int) -> int | None:
    """The line number Redis prints for `line`: options follow the file and one extra "\\n"."""
    assert line.problem is not None
    if line.problem.kind in _NO_LINE:
        return None
    if line.layer == "argv":
        return newlines + 2 + line.index
    return line.index + 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_parity(case: Case, results: dict[str, rs.RedisRun], server: tuple[str, RedisVersion]):
    run = results[case.id]
    version = server[1]
    ev, newlines = model(run, version)
    err = ev.first_error
    if err is None:
        assert run.config is not None, (
            f"redislint accepts it, redis-server refused: {run.error}\n{run.stderr}{run.stdout}")
        mismatches = {}
        for name, value in run.config.items():
            ours = ev.value(name)
            if ours is not None and ours != value:
                mismatches[name] = {"redis": value, "redislint": ours}
        assert not mismatches
        return
    assert err.problem is not None
    assert run.config is None, f"redis-server started, redislint predicted {err.problem}"
    assert run.error is not None, f"no fatal message found:\n{run.stderr}\n{run.stdout}"
    assert run.error.reason == err.problem.reason
    assert run.error.line == redis_line_number(err, newlines)
    if run.error.echoed is not None:
        assert run.error.echoed == err.raw


def test_case_count() -> None:
    assert len(CASES) >= 250


def test_every_config_get_name_is_known(results: dict[str, rs.RedisRun],
                                        server: tuple[str, RedisVersion]) -> None:
    """CONFIG GET * on a default server lists only names the directive table knows."""
    run = results["text-empty-file"]
    assert run.config is not None
    assert "rdb-key-save-delay" in run.config  # hidden names were asked for by name
    table = DirectiveTable.for_version(server[1])
    unknown = sorted(n for n in run.config if table.lookup(n) is None)
    assert unknown == []
