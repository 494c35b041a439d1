"""Start a real redis-server for tests: config text in, exit status or CONFIG GET values out.

Any test may use it. Without a `redis-server` binary, `require_redis_server()` skips the test,
or fails it when the environment variable CI is "true" (so CI can never pass by skipping).

Harness: the server listens only on a unix socket in a private temporary directory (`--port 0
--unixsocket ...`), so parallel servers never collide on TCP ports. The harness options are
command-line options; Redis appends them *after* the config file, and they come *before* the
case's own options. They therefore override only port, unixsocket, dir, daemonize and logfile,
and never touch `save` or includes. `RedisRun.argv` is the exact option list the server got, so
a test can model the same input instead of pretending the harness is not there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_BANNER = re.compile(r"^\*\*\* FATAL CONFIG FILE ERROR \((?:Redis|Version) [^)]*\) \*\*\*$")
_AT_LINE = re.compile(r"^Reading the configuration file, at line (\d+)$")
# Fatal start-up errors that go to the log (stdout here), not through the banner.
_LOG_FATALS = (
    "Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting",
    "Fatal error, can't open config file",
    "Configured to not listen anywhere, exiting.",
    "Error loading ACL rule",
    "Spaces not allowed in ACL usernames",
)


def find_redis_server() -> str | None:
    """Path of redis-server (or $REDIS_SERVER), or None."""
    return os.environ.get("REDIS_SERVER") or shutil.which("redis-server")


def require_redis_server() -> str:
    """The binary, or skip the test (fail it when CI=true) with a clear message."""
    path = find_redis_server()
    if path and os.access(path, os.X_OK):
        return path
    message = ("redis-server not found: the parity tests need a real Redis "
               "(apt-get install redis-server, or set REDIS_SERVER=/path/to/redis-server)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI=true, so this is an error, not a skip", pytrace=False)
    pytest.skip(message)
    raise AssertionError  # unreachable; keeps type checkers happy


def server_version(path: str) -> tuple[str, str]:
    """("redis", "7.0.15") from `redis-server --version` ("Redis server v=7.0.15 sha=...");
    the flavor is "valkey" for a Valkey binary ("Valkey server v=8.0.1 ...")."""
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    m = re.search(r"v=(\d+\.\d+\.\d+)", out)
    if not m:
        raise RuntimeError(f"cannot read the version from {out!r}")
    return ("valkey" if out.lower().startswith("valkey") else "redis"), m.group(1)


@dataclass(frozen=True)
class FatalError:
    """How a server refused its config: the line number (None if not given) and the reason."""

    line: int | None
    echoed: str | None  # the ">>> '...'" line, without the decoration
    reason: str


@dataclass
class RedisRun:
    """The outcome of one start attempt."""

    returncode: int | None  # None while it was running (we stopped it)
    stdout: str
    stderr: str
    config: dict[str, str] | None  # CONFIG GET results when it started
    error: FatalError | None
    tmp: str = ""
    conf_text: str | None = None  # the config file as written ({tmp} substituted)
    argv: list[str] = field(default_factory=list)  # every option after the config file path
    files: dict[str, str] = field(default_factory=dict)
    replies: list[object] = field(default_factory=list)  # the replies to `commands`, in order


def parse_fatal(stderr: str, stdout: str) -> FatalError | None:
    """Read Redis's fatal config banner from stderr, or a known fatal line from the log."""
    lines = stderr.split("\n")  # not splitlines(): an echoed line may hold \v, \f or \r
    for i, text in enumerate(lines):
        if _BANNER.match(text):
            rest = lines[i + 1:]
            m = _AT_LINE.match(rest[0]) if rest else None
            if m and len(rest) >= 3:
                echoed = rest[1][5:-1] if rest[1].startswith(">>> '") else rest[1]
                return FatalError(int(m.group(1)), echoed, rest[2])
            return FatalError(None, None, rest[0] if rest else "")
    for text in stdout.split("\n"):
        for fatal in _LOG_FATALS:
            if fatal in text:
                return FatalError(None, None, text[text.index(fatal):])
    return None


def _command(sock: socket.socket, *args: str) -> object:
    payload = f"*{len(args)}\r\n".encode()
    for a in args:
        data = a.encode("utf-8", "surrogateescape")
        payload += b"$%d\r\n%s\r\n" % (len(data), data)
    sock.sendall(payload)
    reader = sock.makefile("rb")
    try:
        return _read_reply(reader)
    finally:
        reader.close()


def _read_reply(reader) -> object:  # type: ignore[no-untyped-def]
    line = reader.readline()
    if not line:
        raise ConnectionError("connection closed")
    kind, body = line[:1], line[1:-2]
    if kind in (b"+", b":"):
        return body.decode()
    if kind == b"-":
        raise RuntimeError(body.decode())
    if kind == b"$":
        n = int(body)
        if n < 0:
            return None
        data = reader.read(n + 2)[:-2]
        return data.decode("utf-8", "surrogateescape")
    if kind == b"*":
        return [_read_reply(reader) for _ in range(int(body))]
    raise RuntimeError(f"unexpected reply {line!r}")


def config_get(sock_path: str, patterns: list[str], password: str | None = None,
               commands: list[list[str]] | None = None, replies: list[object] | None = None) -> dict[str, str]:
    """CONFIG GET over a unix socket with a tiny RESP client (no redis-py needed); then `commands`,
    whose replies (an error reply as RuntimeError) are appended to `replies`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(sock_path)
        if password:
            _command(sock, "AUTH", password)
        values: dict[str, str] = {}
        for pattern in patterns:  # one pattern per call: Redis 6.2 takes only one
            reply = _command(sock, "CONFIG", "GET", pattern)
            assert isinstance(reply, list)
            values.update(zip(reply[::2], reply[1::2], strict=True))
        for args in commands or []:
            try:
                replies.append(_command(sock, *args))  # type: ignore[union-attr]
            except RuntimeError as exc:
                replies.append(exc)  # type: ignore[union-attr]
    return values


def harness_argv(tmp: str) -> list[str]:
    """The options every test server gets (see the module docstring)."""
    return ["--port", "0", "--unixsocket", os.path.join(tmp, "redis.sock"), "--dir", tmp,
            "--daemonize", "no", "--logfile", ""]


def run_server(binary: str, conf_text: str | None = None, argv: list[str] | None = None,
               files: dict[str, str] | None = None, patterns: list[str] | None = None,
               password: str | None = None, timeout: float = 10.0,
               commands: list[list[str]] | None = None) -> RedisRun:
    """Start redis-server on `conf_text` plus `argv`, read CONFIG GET `patterns`, run `commands`, stop it.

    "{tmp}" in the config, argv and `files` (extra files, by name, for include tests) is
    replaced by the private temporary directory.
    """
    with tempfile.TemporaryDirectory(prefix="rl-") as tmp:
        tmp = os.path.realpath(tmp)

        def sub(text: str) -> str:
            return text.replace("{tmp}", tmp)

        written = {name: sub(text) for name, text in (files or {}).items()}
        for name, text in written.items():
            target = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        cmd = [binary]
        conf = None
        if conf_text is not None:
            conf = sub(conf_text)
            path = os.path.join(tmp, "redis.conf")
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(conf)
            cmd.append(path)
        options = harness_argv(tmp) + [sub(a) for a in (argv or [])]
        proc = subprocess.Popen(cmd + options, cwd=tmp, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        sock_path = os.path.join(tmp, "redis.sock")
        config = None
        replies: list[object] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if os.path.exists(sock_path):
                    try:
                        replies.clear()
                        config = config_get(sock_path, patterns or ["*"], password, commands, replies)
                        break
                    except (ConnectionError, OSError):
                        pass
                time.sleep(0.01)
        finally:
            if proc.poll() is None:
                proc.kill()  # by pid: only the server this call started
            out, err = proc.communicate(timeout=timeout)
        stdout = out.decode("utf-8", "surrogateescape")
        stderr = err.decode("utf-8", "surrogateescape")
        rc = None if config is not None else proc.returncode
        return RedisRun(rc, stdout, stderr, config,
                        None if config is not None else parse_fatal(stderr, stdout),
                        tmp, conf, options, written, replies)


def run_many(binary: str, jobs: dict[str, dict], workers: int = 16) -> dict[str, RedisRun]:
    """run_server for many cases in parallel; `jobs` maps an id to run_server keyword args."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(run_server, binary, **kwargs) for key, kwargs in jobs.items()}
        return {key: f.result() for key, f in futures.items()}


class DataDirServer:
    """redis-server on a config file, with a data directory that outlives the process (unix socket only):
    restart it on another config to see what Redis keeps (the AOF switch, RDB formats)."""

    def __init__(self, binary: str, data: Path, conf: Path, extra: list[str] | None = None) -> None:
        self.sock = str(data / "redis.sock")
        self.log = data / "redis.log"
        # `extra` comes last and wins: a TCP port for a master that a replica connects to.
        argv = [binary, str(conf), "--port", "0", "--unixsocket", self.sock, "--dir", str(data),
                "--daemonize", "no", "--logfile", str(self.log), *(extra or [])]
        self.proc = subprocess.Popen(argv, cwd=data, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.proc.poll() is None:
            if os.path.exists(self.sock):
                try:
                    self.run(["PING"])
                    return
                except (ConnectionError, OSError, RuntimeError):
                    pass  # still loading
            time.sleep(0.02)
        self.stop()
        raise AssertionError(f"redis-server did not start: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
                             f"\n{self.log.read_text() if self.log.exists() else ''}")

    def run(self, *commands: list[str]) -> list[object]:
        replies: list[object] = []
        config_get(self.sock, [], commands=list(commands), replies=replies)
        for reply in replies:
            if isinstance(reply, RuntimeError):
                raise reply
        return replies

    def info(self, section: str) -> dict[str, str]:
        text = str(self.run(["INFO", section])[0])
        return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)

    def stop(self) -> None:
        """SIGTERM, as Kubernetes stops a pod: Redis saves (it has save points) and exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # only the process this test started
                self.proc.wait()
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        if os.path.exists(self.sock):
            os.unlink(self.sock)
