"""Hostile shapes of input: time and peak memory of `redislint check` on ~10 MB of each.

    python bench/shapes.py                 # every shape, 10,000,000 bytes each
    python bench/shapes.py --size 2000000  # smaller
    python bench/shapes.py tiny-targets nl-conf

Each shape is written to a temporary directory and checked once in a fresh process; wall time
and the process's peak RSS (`os.wait4`) are printed, with the goal of docs/security.md beside
them: under 10 s and under 100 MiB more than a one-line check. `bench/RESULTS.md` quotes a run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

BIN = Path(sys.executable).parent


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    n = max(1, (size - len(head) - len(tail)) // len(unit))
    return head + unit * n + tail


def _numbered(fmt: str, size: int, head: str = "") -> str:
    parts = [head]
    total = len(head)
    i = 0
    while total < size:
        line = fmt.format(i=i)
        parts.append(line)
        total += len(line)
        i += 1
    return "".join(parts)


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    # Every document a Redis target (a values file in standalone mode).
    "tiny-targets": ("values.yaml", lambda n: _repeat("--- {architecture: standalone}\n", n)),
    "tiny-docs": ("docs.yaml", lambda n: _repeat("---\nx: 1\n", n)),
    "empty-docs": ("empty.yaml", lambda n: _repeat("---\n", n)),
    "flow-list": ("flow.yaml", lambda n: _repeat("1,", n, "a: [", "1]\n")),
    "block-list": ("block.yaml", lambda n: _repeat("- 1\n", n, "a:\n")),
    "map": ("map.yaml", lambda n: _numbered("k{i}: {i}\n", n)),
    "long-scalar": ("long.yaml", lambda n: _repeat("x", n, "a: ", "\n")),
    "comments": ("comments.yaml", lambda n: _repeat("#\n", n, "a: 1\n")),
    "nl-yaml": ("nl.yaml", lambda n: _repeat("\n", n, "a: 1\n")),
    "config-block": ("config.yaml", lambda n: _repeat("    appendonly yes\n", n,
                                                       "architecture: standalone\nmaster:\n  configuration: |\n")),
    "nl-conf": ("redis.conf", lambda n: _repeat("\n", n)),
    "conf-lines": ("lines.conf", lambda n: _repeat("appendonly yes\n", n)),
    "conf-save": ("save.conf", lambda n: _numbered("save {i} 1\n", n)),
    "conf-one-line": ("one.conf", lambda n: _repeat(" 1", n, "save", "\n")),
}


def run(shape: str, size: int, workdir: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one check of `shape`."""
    name, make = SHAPES[shape]
    path = workdir / shape / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make(size))
    return _measure([str(BIN / "redislint"), "check", str(path), "--format", "json", "--output",
                     str(workdir / f"{shape}.json")])


TIMEOUT_S = 120


def _measure(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit code; a run past TIMEOUT_S is killed (exit -9)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > TIMEOUT_S:
            proc.kill()
        time.sleep(0.02)
    wall = time.monotonic() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shapes", nargs="*", choices=[[], *SHAPES], default=[])
    parser.add_argument("--size", type=int, default=10_000_000, help="bytes of each input (default 10,000,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redislint-shapes-") as tmp:
        workdir = Path(tmp)
        (workdir / "one.conf").write_text("appendonly yes\n")
        _, floor, _ = _measure([str(BIN / "redislint"), "check", str(workdir / "one.conf")])
        print(f"baseline: one-line check peaks at {floor:.0f} MiB; size {args.size:,} bytes per shape")
        print(f"{'shape':14s} {'wall s':>7s} {'peak MiB':>9s} {'extra MiB':>9s} {'exit':>4s}  goal")
        ok = True
        for shape in args.shapes or list(SHAPES):
            wall, peak, code = run(shape, args.size, workdir)
            met = wall < 10 and peak - floor < 100 and code in (0, 1, 2)
            ok &= met
            print(f"{shape:14s} {wall:7.2f} {peak:9.0f} {peak - floor:9.0f} {code:4d}  {'met' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
