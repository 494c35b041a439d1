"""Any input costs bounded memory: 10 MB of any shape stays within ~100 MB of a one-line check.

The bounds asserted are memory (the peak RSS of a fresh process, or tracemalloc's peak) and counts
(nodes composed, lines read, targets built), never time. Before these limits 270 kB of 10,000 tiny
values documents took 800 MB, 2.9 MB of one-line documents 3.4 GB and a 9 MB redis.conf of empty
lines 1.1 GB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import redislint.targets as targets_mod
from redislint.engine import CheckOptions, check_paths
from redislint.redisconf import RedisVersion, parse_conf
from redislint.redisconf.parser import MAX_CONF_LINE_WORDS, MAX_CONF_LINES
from redislint.sources import MAX_FILE_NODES, EmbeddedText, load_yaml

SIZE = 10_000_000
# The goal is 100 MiB over a one-line check; the margin absorbs allocator and platform differences.
EXTRA_MIB = 150


def _repeat(unit: str, head: str = "", tail: str = "") -> str:
    return head + unit * ((SIZE - len(head) - len(tail)) // len(unit)) + tail


SHAPES = {
    "tiny-targets.yaml": lambda: _repeat("--- {architecture: standalone}\n"),
    "tiny-docs.yaml": lambda: _repeat("---\nx: 1\n"),
    "flow-list.yaml": lambda: _repeat("1,", "a: [", "1]\n"),
    "map.yaml": lambda: "".join(f"k{i}: {i}\n" for i in range(SIZE // 12))[:SIZE],
    "config-block.yaml": lambda: _repeat("    appendonly yes\n",
                                         "architecture: standalone\nmaster:\n  configuration: |\n"),
    "empty.conf": lambda: "\n" * SIZE,
    "lines.conf": lambda: _repeat("appendonly yes\n"),
    "one-line.conf": lambda: _repeat(" 1", "save", "\n"),
}


def _rss_of(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Peak RSS (MiB) of one fresh `redislint` process, read from `os.wait4`."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.Popen([sys.executable, "-m", "redislint", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limit, env=dict(os.environ, NO_COLOR="1"))
    # Read the pipes while waiting (a large report must not block the child), then reap it with wait4.
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024, subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Peak RSS of checking a one-line redis.conf: start-up, imports, tables."""
    where = tmp_path_factory.mktemp("floor")
    (where / "one.conf").write_text("appendonly yes\n")
    return _rss_of(["check", "one.conf", "-f", "json"], where)[0]


@pytest.mark.slow  # a fresh process per 10 MB shape; the limits themselves are checked cheaply below
@pytest.mark.parametrize("name", list(SHAPES))
def test_ten_megabytes_of_any_shape_stay_within_the_memory_bound(tmp_path: Path, floor: float, name: str) -> None:
    (tmp_path / name).write_text(SHAPES[name]())
    peak, proc = _rss_of(["check", name, "-f", "json"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert peak - floor < EXTRA_MIB, f"{name}: {peak:.0f} MiB peak, {floor:.0f} MiB for one line"
    json.loads(proc.stdout)  # the report is whole


@pytest.mark.slow  # builds a document past the node limit
def test_yaml_stops_at_the_node_limit_with_an_error_where_it_stopped() -> None:
    text = "a: [" + "1," * (MAX_FILE_NODES + 10) + "1]\n---\nb: 1\n"
    tracemalloc.start()
    loaded = load_yaml("many.yaml", text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert loaded.documents == ()  # the document being read when the limit hit is dropped, and nothing after it
    [problem] = loaded.problems
    assert problem.code == "RL001" and f"more than {MAX_FILE_NODES:,} YAML nodes in one file" in problem.message
    # At the node past the limit: the document, the mapping, `a` and the list count 4, then the items
    # (2 characters each, from column 5).
    assert (problem.span.line, problem.span.column) == (1, 5 + 2 * (MAX_FILE_NODES - 4))
    assert peak < 100 * 1024 * 1024


def test_documents_before_the_node_limit_are_kept() -> None:
    docs = MAX_FILE_NODES // 3
    text = "x: 1\n" + "---\nx: 1\n" * docs
    loaded = load_yaml("docs.yaml", text)
    assert len(loaded.documents) < docs + 1 and [p.code for p in loaded.problems] == ["RL001"]
    stopped_at = loaded.problems[0].span.line
    assert loaded.documents[-1].span.end_line <= stopped_at
    assert all(d.root is not None and d.root.get("x").value == 1 for d in loaded.documents)


def test_empty_lines_cost_no_objects() -> None:
    """10 MB of line breaks: parse_conf reads nothing, and holds no list of lines."""
    text = "\n" * SIZE + "appendonly yes\n"
    tracemalloc.start()
    lines = parse_conf(EmbeddedText.for_file("r.conf", text), "r.conf", RedisVersion.newest("redis"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(line.key, line.span.line) for line in lines] == [("appendonly", SIZE + 1)]
    assert peak < 5 * 1024 * 1024  # the text itself is 10 MB and was allocated before


def test_config_text_is_read_up_to_its_line_limit(tmp_path: Path) -> None:
    (tmp_path / "r.conf").write_text("appendonly yes\n" * (MAX_CONF_LINES + 50) + "appendonly no\n")
    report, targets = check_paths([str(tmp_path / "r.conf")], CheckOptions(profile="critical"))
    assert targets[0].value("appendonly") == "yes"  # the last line, past the limit, was not applied
    stop = [f for f in report.findings if f.rule == "RL003"]
    assert [(f.severity.value, f.span.line) for f in stop] == [("error", MAX_CONF_LINES + 1)]
    assert f"more than {MAX_CONF_LINES:,} config lines" in stop[0].message


def test_a_line_of_too_many_words_is_not_tokenised(tmp_path: Path) -> None:
    (tmp_path / "r.conf").write_text("save" + " 1" * (MAX_CONF_LINE_WORDS + 2) + "\nappendonly yes\n")
    report, targets = check_paths([str(tmp_path / "r.conf")], CheckOptions(profile="critical"))
    stop = [f for f in report.findings if f.rule == "RL003"]
    assert [(f.severity.value, f.span.line) for f in stop] == [("error", 1)]
    assert f"more than {MAX_CONF_LINE_WORDS:,} words" in stop[0].message
    assert targets[0].value("appendonly") == "yes"  # the lines after it are read


@pytest.mark.parametrize("jobs", [1, 2])
def test_targets_per_file_stop_at_the_limit_with_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          jobs: int) -> None:
    """The issue's shape (thousands of one-line values documents, each a Redis target), with a lower
    limit so that the test stays small; one pass and file by file agree."""
    monkeypatch.setattr(targets_mod, "MAX_TARGETS_PER_FILE", 40)
    (tmp_path / "values.yaml").write_text("--- {architecture: standalone}\n" * 60)
    (tmp_path / "other.conf").write_text("appendonly yes\n")
    paths = [str(tmp_path / "values.yaml"), str(tmp_path / "other.conf")]
    report, _ = check_paths(paths, CheckOptions(jobs=jobs))
    assert report.targets_checked == 41  # 40 from values.yaml, and other.conf is still checked
    # RL004, a Redis deployment not analysed: a warning in every built-in profile, never silent.
    stop = [f for f in report.findings if f.rule == "RL004" and "Redis targets in this file" in f.message]
    assert [(f.severity.value, f.span.path, f.span.line) for f in stop] == [("warning", paths[0], 41)]
    assert "more than 40 Redis targets in this file" in stop[0].message


@pytest.mark.slow  # 3,000 targets in a fresh process; the per-file target limit is checked just above
def test_targets_are_checked_one_at_a_time_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming keeps one target alive at a time: 3,000 one-line values documents (the issue's
    10,000-document shape, smaller; the per-file limit raised for the test) stay well below what
    holding them all takes."""
    monkeypatch.setattr(targets_mod, "MAX_TARGETS_PER_FILE", 5000)
    (tmp_path / "values.yaml").write_text("--- {architecture: standalone}\n" * 3000)
    tracemalloc.start()
    report, _ = check_paths([str(tmp_path / "values.yaml")], CheckOptions(jobs=1))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.targets_checked == 3000
    # Held all at once, 3,000 targets took ~75 MB; one at a time, the documents and findings remain.
    assert peak < 40 * 1024 * 1024
