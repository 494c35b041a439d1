"""Which probe commands survive a LOADING reply: a real redis-server, held in its load, is the judge.

RL413 reports only probes that fail while Redis loads its data set. `lifecycle.tolerates_loading`
decides that from the command; here each command runs against a server that is loading (a saved
data set reloaded with `key-load-delay`), and its exit status must be what the function says.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from tests.redis_server import require_redis_server

from redislint.charts.lifecycle import probe_of
from redislint.sources import load_yaml, to_plain

# (probe as written in a pod spec, what redislint concludes). `redis-cli` is given the test socket.
PROBES = [
    ('exec: {command: ["redis-cli", "ping"]}', True),
    ('exec: {command: ["redis-cli", "-e", "ping"]}', False),
    ('exec: {command: ["sh", "-c", "redis-cli ping | grep PONG"]}', False),
    ('exec: {command: ["sh", "-c", "redis-cli ping | grep -e PONG -e LOADING"]}', True),
    ('exec: {command: ["sh", "-c", "test \\"$(redis-cli ping)\\" = PONG"]}', False),
]


def _wait(sock: Path, want: str, proc: subprocess.Popen) -> str:
    reply = ""
    for _ in range(200):
        if proc.poll() is not None:
            break
        if sock.exists():
            reply = subprocess.run(["redis-cli", "-s", str(sock), "ping"], capture_output=True, text=True,
                                   timeout=10).stdout
            if want in reply:
                return reply
        time.sleep(0.05)
    return reply


@pytest.fixture(scope="module")
def loading_socket(tmp_path_factory: pytest.TempPathFactory):
    server = require_redis_server()
    if shutil.which("redis-cli") is None:
        pytest.skip("redis-cli not found")
    tmp = tmp_path_factory.mktemp("loading")
    sock = tmp / "redis.sock"
    base = [server, "--port", "0", "--unixsocket", str(sock), "--dir", str(tmp), "--save", "", "--appendonly", "no"]
    first = subprocess.Popen(base + ["--enable-debug-command", "yes"], stdout=subprocess.DEVNULL)
    try:
        assert "PONG" in _wait(sock, "PONG", first)
        cli = ["redis-cli", "-s", str(sock)]
        subprocess.run(cli + ["debug", "populate", "5000"], check=True, capture_output=True, timeout=30)
        subprocess.run(cli + ["save"], check=True, capture_output=True, timeout=30)
    finally:
        first.kill()
        first.wait()
    sock.unlink(missing_ok=True)
    # 5000 keys x 20 ms: the server stays in LOADING for 100 s, and answers between keys.
    second = subprocess.Popen(base + ["--key-load-delay", "20000", "--loading-process-events-interval-bytes", "1024"],
                              stdout=subprocess.DEVNULL)
    try:
        reply = _wait(sock, "LOADING", second)
        assert "LOADING" in reply, f"the server never answered LOADING: {reply!r}"
        yield sock
    finally:
        second.kill()
        second.wait()


@pytest.mark.parametrize("text,tolerant", PROBES)
def test_probe_exit_status_on_loading_is_what_redislint_concludes(loading_socket: Path, text: str,
                                                                  tolerant: bool) -> None:
    probe = probe_of(load_yaml("probe.yaml", text).documents[0].root)
    assert probe is not None and probe.tolerates_loading is tolerant
    command = _argv(text, loading_socket)
    status = subprocess.run(command, capture_output=True, timeout=30).returncode
    assert (status == 0) is tolerant, (command, status)


def _argv(text: str, sock: Path) -> list[str]:
    """The probe's exec command with `redis-cli` pointed at the test socket."""
    argv = [str(a) for a in to_plain(load_yaml("probe.yaml", text).documents[0].root)["exec"]["command"]]
    if argv[0] == "redis-cli":
        return ["redis-cli", "-s", str(sock), *argv[1:]]
    return [a.replace("redis-cli", f"redis-cli -s {sock}") for a in argv]
