"""The process around a check: as many workers as CPUs, a clean stop on SIGTERM/SIGHUP, and a write
that fails (full disk, `ulimit -f`) reported as an I/O error with exit code 2, never cut silently."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import redislint.processes as processes

from .conftest import invoke

CONF = "appendonly yes\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n"
# Many documents, each a Redis target: a check of a few hundred such files takes seconds.
VALUES_DOCS = "".join(f"---\narchitecture: standalone\nmaster:\n  persistence:\n    size: {i}Gi\n"
                      for i in range(1, 40))


def test_jobs_is_capped_at_the_cpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--jobs 1000` started a thousand processes; now one per CPU, and the run says so."""
    for i in range(6):
        (tmp_path / f"r{i}.conf").write_text(CONF)
    started: list[int] = []
    real = processes.start_pool

    def recording(context, count, *args, **kwargs):
        pool = real(context, count, *args, **kwargs)
        started.append(getattr(pool, "_processes", -1))
        return pool

    monkeypatch.setattr(processes, "available_cpus", lambda: 2)
    monkeypatch.setattr("redislint.parallel.start_pool", recording)
    run = invoke("check", ".", "--jobs", "1000", "-f", "json", cwd=tmp_path)
    assert run.exit_code == 0, run.output
    assert started == [2]
    notes = [n["message"] for n in json.loads(run.stdout)["notifications"] if n["level"] == "note"]
    assert "--jobs 1000: this process may use 2 CPUs, so at most 2 worker processes ran" in notes
    text = invoke("check", ".", "--jobs", "2", cwd=tmp_path)
    assert "--jobs" not in text.output  # no note when the request fits


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker pids from /proc (Linux)")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_stops_the_workers_without_tracebacks(tmp_path: Path, signum: int) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for i in range(300):
        (inputs / f"v{i}.yaml").write_text(VALUES_DOCS)
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "redislint", "check", str(inputs), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert workers, "no worker process started"
        time.sleep(0.3)  # the workers are busy checking files
        proc.send_signal(signum)
        stderr = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, stderr[-3000:]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-3000:]
    assert stderr.strip().endswith(f"redislint: stopped by {signal.Signals(signum).name}"), stderr[-3000:]
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def _run_limited(args: list[str], cwd: Path, stdout, file_size: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "redislint", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, env=env, text=True, timeout=120, preexec_fn=limit)


@pytest.fixture
def many_findings(tmp_path: Path) -> Path:
    """A file whose report runs to hundreds of kilobytes."""
    (tmp_path / "values.yaml").write_text(VALUES_DOCS * 5)
    return tmp_path


@pytest.mark.parametrize("to_file", [False, True])
def test_a_file_size_limit_is_an_io_error_not_a_cut_report(many_findings: Path, to_file: bool) -> None:
    """`ulimit -f`: the first write is cut short without an error; the report must not end there quietly."""
    out = many_findings / "report.json"
    if to_file:
        proc = _run_limited(["check", "values.yaml", "-f", "json", "-o", str(out)], many_findings,
                            subprocess.DEVNULL, file_size=16 * 1024)
        assert not out.exists()  # no incomplete report left for the next step to upload
    else:
        with open(out, "w") as fh:
            proc = _run_limited(["check", "values.yaml", "-f", "json"], many_findings, fh, file_size=16 * 1024)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "File too large" in proc.stderr and "cannot write" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [
    ["check", "values.yaml"],
    ["check", "values.yaml", "-f", "sarif"],
    ["check", "values.yaml", "-o", "/dev/full"],
    ["effective", "values.yaml"],
    ["rules"],
])
def test_a_full_disk_is_an_io_error_with_exit_code_2(many_findings: Path, command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = _run_limited(command, many_findings, full)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "No space left on device" in proc.stderr and "cannot write" in proc.stderr
