#!/usr/bin/env python3
"""Benchmark redislint against its targets, in one invocation: `python bench/run.py`.

Generates the corpora (bench/gen_corpus.py) in a temporary directory, then runs every command
below once per round, in the same order each round, for a warm-up round plus `--reps` rounds.
Each run is a separate process timed from spawn to exit (wall clock), with its CPU time and peak
RSS from `os.wait4`. Because every round holds one run of each command, every ratio is *paired*:
it is taken round by round between runs made seconds apart, and the median of those per-round
ratios is reported (as the performance baseline recommends on this shared, noisy machine).

Results go to bench/RESULTS.md (see `--output`) with the date, the machine, the medians and the
paired ratios against each target, and whether each target is met.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_kib: int
    tree_rss_kib: int = 0  # peak of the summed RSS of the process tree (sampled), 0 if not sampled
    code: int = 0


@dataclass
class Command:
    key: str
    label: str
    argv: list[str]
    sample_tree: bool = False  # memory of the process tree, measured in separate, untimed runs
    runs: list[Run] = field(default_factory=list)
    memory_runs: list[Run] = field(default_factory=list)
    per_round: int = 1  # runs per round (cheap commands run several times; the median is kept)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


# -- process measurement -------------------------------------------------------------------------

def _tree_rss_kib(pid: int) -> int:
    """Memory of `pid` and its descendants (Linux /proc), 0 when unavailable.

    Proportional set size (smaps_rollup `Pss`) where the kernel has it: forked workers share the
    parent's pages until they write to them, and plain RSS would count those pages once per process.
    """
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            value = None
            try:
                with open(f"/proc/{p}/smaps_rollup") as fh:
                    for line in fh:
                        if line.startswith("Pss:"):
                            value = int(line.split()[1])
                            break
            except OSError:
                pass
            if value is None:
                with open(f"/proc/{p}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            value = int(line.split()[1])
                            break
            total += value or 0
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def child_env(work: str) -> dict[str, str]:
    """The environment of every measured command.

    Bytecode is cached (in the work directory), as after `pip install`, which compiles every module:
    without it (PYTHONDONTWRITEBYTECODE, an editable install) each start recompiles all of redislint's
    modules, about 100 ms, while click, yamllint and ruamel.yaml load their installed .pyc files.
    The warm-up round fills the cache.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(work, "pycache")
    return env


ENV: dict[str, str] | None = None


def run_once(argv: list[str], cwd: str, sample_tree: bool) -> Run:
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=ENV)
    peak = [0]
    stop = threading.Event()
    if sample_tree and os.path.isdir("/proc"):
        def sampler() -> None:
            while not stop.wait(0.01):
                peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
    else:
        thread = None
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    if thread is not None:
        thread.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(argv)}\n{stderr.decode()[-2000:]}")
    rss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, peak[0], proc.returncode)


# -- machine -------------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    info["date"] = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    info["cores"] = f"{usable} usable ({cores} online)"
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    info["memory"] = mem or "unknown"
    model = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info["cpu"] = model or "unknown"
    info["python"] = f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"
    info["os"] = f"{platform.system()} {platform.release()}"
    versions = []
    for mod in ("redislint", "ruamel.yaml", "yamllint", "click", "rich"):
        try:
            from importlib.metadata import version
            versions.append(f"{mod} {version(mod)}")
        except Exception:  # noqa: BLE001 - informational only
            pass
    info["packages"] = ", ".join(versions)
    try:
        head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        info["commit"] = head + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "unknown"
    return info


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# -- the benchmark -------------------------------------------------------------------------------

def script(name: str) -> str:
    """The console script next to this interpreter (not a pyenv shim, which adds ~50 ms)."""
    path = os.path.join(sysconfig.get_path("scripts"), name)
    if os.path.exists(path):
        return path
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install -e '.[test]')")
    return found


def generate(work: str, seed: int) -> dict[str, str]:
    gen = [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--quiet", "--seed", str(seed)]
    paths = {
        "one": os.path.join(work, "one"),
        "hr100": os.path.join(work, "hr100"),
        "hr1000": os.path.join(work, "hr1000"),
        "big1m": os.path.join(work, "big-1m.yaml"),
        "big5m": os.path.join(work, "big-5m.yaml"),
    }
    subprocess.run(gen + ["--out", paths["hr1000"], "--count", "1000"], check=True)
    subprocess.run(gen + ["--out", paths["hr100"], "--count", "100"], check=True)
    # One file: the first HelmRelease of the corpus (the same bytes as in hr100/hr1000).
    subprocess.run(gen + ["--out", paths["one"], "--count", "1"], check=True)
    subprocess.run(gen + ["--big", paths["big1m"], "--size", "1M"], check=True)
    subprocess.run(gen + ["--big", paths["big5m"], "--size", "5M"], check=True)
    for root, _dirs, files in os.walk(paths["one"]):
        if files:
            paths["one"] = os.path.join(root, files[0])
    return paths


def commands(paths: dict[str, str]) -> list[Command]:
    py = sys.executable
    rl, yl = script("redislint"), script("yamllint")
    compose = [py, os.path.join(HERE, "compose_driver.py")]
    cmds = [
        Command("version", "redislint --version", [rl, "--version"], per_round=5),
        Command("click", 'python -c "import click"', [py, "-c", "import click"], per_round=5),
    ]
    for key, label in (("one", "1 file"), ("hr100", "100 files"), ("hr1000", "1000 files"),
                       ("big1m", "1 MB file"), ("big5m", "5 MB file")):
        target = paths[key]
        cmds.append(Command(f"check_{key}", f"redislint check, {label}", [rl, "check", target],
                            sample_tree=key == "hr1000"))
        cmds.append(Command(f"yamllint_{key}", f"yamllint -d relaxed, {label}", [yl, "-d", "relaxed", target]))
        cmds.append(Command(f"compose_{key}", f"C-composer parse, {label}", compose + [target]))
        if key == "hr1000":
            cmds.append(Command("check_hr1000_j1", "redislint check --jobs 1, 1000 files",
                                [rl, "check", "--jobs", "1", target], sample_tree=True))
            cmds.append(Command("check_hr1000_j2", "redislint check --jobs 2, 1000 files",
                                [rl, "check", "--jobs", "2", target], sample_tree=True))
    return cmds


@dataclass
class Ratio:
    label: str
    a: str
    b: str
    target: float | None = None
    kind: str = "max"  # "max": ratio must be <= target; "min": ratio must be >= target
    note: str = ""


RATIOS = [
    Ratio("1000 files: check / yamllint", "check_hr1000", "yamllint_hr1000", 0.25),
    Ratio("1000 files: check / bare C-composer parse", "check_hr1000", "compose_hr1000", 3.0),
    Ratio("1 file: check / yamllint", "check_one", "yamllint_one", 1.0),
    Ratio("redislint --version / python -c 'import click'", "version", "click", 1.2),
    Ratio("5 MB file / 1 MB file (check)", "check_big5m", "check_big1m", 5.5),
    Ratio("1000 files / 100 files (check)", "check_hr1000", "check_hr100", 11.0),
    Ratio("1000 files: speed-up of --jobs 2 over --jobs 1", "check_hr1000_j1", "check_hr1000_j2", 1.5, "min"),
    Ratio("1000 files: check --jobs 1 / yamllint", "check_hr1000_j1", "yamllint_hr1000"),
    Ratio("1000 files: check --jobs 1 / bare C-composer parse", "check_hr1000_j1", "compose_hr1000"),
    Ratio("100 files: check / yamllint", "check_hr100", "yamllint_hr100"),
    Ratio("1 MB file: check / yamllint", "check_big1m", "yamllint_big1m"),
    Ratio("5 MB file: check / yamllint", "check_big5m", "yamllint_big5m"),
    Ratio("1 MB file: check / bare C-composer parse", "check_big1m", "compose_big1m"),
    Ratio("5 MB file: check / bare C-composer parse", "check_big5m", "compose_big5m"),
    Ratio("1 file: check / bare C-composer parse", "check_one", "compose_one"),
]
MEMORY_TARGET_MIB = 100
MEMORY_RUNS = 2  # sampled runs per 1000-file command, apart from the timed rounds


def paired(cmds: dict[str, Command], r: Ratio, attr: str) -> list[float]:
    a, b = cmds[r.a], cmds[r.b]
    ka, kb = a.per_round, b.per_round
    out = []
    rounds = min(len(a.runs) // ka, len(b.runs) // kb)
    for i in range(rounds):
        va = statistics.median(getattr(x, attr) for x in a.runs[i * ka:(i + 1) * ka])
        vb = statistics.median(getattr(x, attr) for x in b.runs[i * kb:(i + 1) * kb])
        out.append(va / vb if vb else float("inf"))
    return out


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def report(cmds: list[Command], info: dict[str, str], reps: int, load: tuple[str, str], elapsed: float,
           files: dict[str, str]) -> tuple[str, bool]:
    by = {c.key: c for c in cmds}
    lines = ["# redislint benchmark results", "",
             "Regenerate with `python bench/run.py` (see bench/README.md). Every ratio is **paired**: the",
             "commands run once each per round, in the same order, and the ratio is taken round by round;",
             "the table gives the median of the per-round ratios with their min–max.", "",
             "## Machine", ""]
    for k in ("date", "cores", "memory", "cpu", "python", "os", "packages", "commit"):
        lines.append(f"- {k}: {info[k]}")
    lines.append(f"- load average (1/5/15 min) before: {load[0]}; after: {load[1]}")
    lines.append(f"- {reps} measured rounds after one warm-up round; whole run {elapsed / 60:.1f} min; "
                 "bytecode cached (PYTHONPYCACHEPREFIX), as after pip install")
    lines += ["", "## Inputs (generated by bench/gen_corpus.py, default seed)", ""]
    for k, v in files.items():
        lines.append(f"- {k}: {v}")
    lines += ["", "## Targets (paired ratios; wall clock, CPU time beside it)", "",
              "| target | wall ratio, median [min–max] | CPU ratio | goal | met |",
              "|---|---|---|---|---|"]
    all_met = True
    for r in RATIOS:
        w = paired(by, r, "wall")
        c = paired(by, r, "cpu")
        if not w:
            continue
        med = statistics.median(w)
        cpu = statistics.median(c)
        if r.target is None:
            goal, met = "–", "–"
        else:
            ok = med <= r.target if r.kind == "max" else med >= r.target
            all_met &= ok
            goal = f"{'≤' if r.kind == 'max' else '≥'} {r.target:g}"
            met = "yes" if ok else "**no**"
        lines.append(f"| {r.label} | {med:.3f} [{min(w):.3f}–{max(w):.3f}] | {cpu:.3f} | {goal} | {met} |")
    j1 = by["check_hr1000_j1"]
    default, j2 = by["check_hr1000"], by["check_hr1000_j2"]
    peak_default = max(x.tree_rss_kib for x in default.memory_runs) / 1024
    peak_single = max(x.maxrss_kib for x in default.runs + default.memory_runs) / 1024
    peak_j1 = max(x.maxrss_kib for x in j1.runs + j1.memory_runs) / 1024
    peak_j2 = max(x.tree_rss_kib for x in j2.memory_runs) / 1024
    mem_ok = max(peak_default, peak_j1) < MEMORY_TARGET_MIB
    all_met &= mem_ok
    lines.append(f"| 1000 files: peak memory (default run: largest process {peak_single:.0f} MiB (RSS), all "
                 f"processes together {peak_default:.0f} MiB (PSS, sampled); --jobs 1: {peak_j1:.0f} MiB; --jobs 2 "
                 f"together: {peak_j2:.0f} MiB) | – | – | < {MEMORY_TARGET_MIB} MiB | {'yes' if mem_ok else '**no**'} |")
    lines += ["", f"`--jobs 1` on 1000 files took {fmt_s(j1.median('wall'))} wall "
              f"({fmt_s(j1.median('cpu'))} CPU) in one process.", ""]
    lines += ["## Commands (medians)", "",
              "| command | wall | CPU | peak RSS (largest process) | runs |", "|---|---|---|---|---|"]
    for c in cmds:
        lines.append(f"| {c.label} | {fmt_s(c.median('wall'))} | {fmt_s(c.median('cpu'))} | "
                     f"{max(x.maxrss_kib for x in c.runs) / 1024:.0f} MiB | {len(c.runs)} |")
    lines += ["", "Command lines (paths shortened):", ""]
    for c in cmds:
        shown = " ".join(os.path.basename(a) if os.path.isabs(a) else a for a in c.argv)
        lines.append(f"- {c.label}: `{shown}`")
    return "\n".join(lines) + "\n", all_met


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5, help="measured rounds (default 5)")
    ap.add_argument("--quick", action="store_true", help="3 rounds instead of --reps")
    ap.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"), help="where to write the results")
    ap.add_argument("--workdir", help="generate the corpora here and keep them (default: a temporary directory)")
    ap.add_argument("--seed", type=int, default=None, help="corpus seed (default: gen_corpus.py's)")
    ap.add_argument("--only", help="comma-separated command keys to run (for a quick look; no RESULTS.md)")
    a = ap.parse_args(argv)
    reps = 3 if a.quick else a.reps
    sys.path.insert(0, HERE)
    from gen_corpus import SEED

    seed = SEED if a.seed is None else a.seed
    work = a.workdir or tempfile.mkdtemp(prefix="redislint-bench-")
    started = time.perf_counter()
    load_before = loadavg()
    try:
        print(f"generating corpora in {work} ...", file=sys.stderr)
        paths = generate(work, seed)
        global ENV
        ENV = child_env(work)
        cmds = commands(paths)
        if a.only:
            keep = set(a.only.split(","))
            cmds = [c for c in cmds if c.key in keep]
        for rnd in range(reps + 1):
            tag = "warm-up" if rnd == 0 else f"round {rnd}/{reps}"
            print(f"{tag} ...", file=sys.stderr)
            for c in cmds:
                for _ in range(c.per_round):
                    result = run_once(c.argv, work, sample_tree=False)
                    if rnd:
                        c.runs.append(result)
        # Memory apart from timing: the sampler (a thread here reading /proc every 10 ms) takes CPU
        # from the command, and on two cores it slowed `--jobs 2`, which uses both, by ~8%.
        print("memory runs ...", file=sys.stderr)
        for c in cmds:
            if c.sample_tree:
                c.memory_runs += [run_once(c.argv, work, sample_tree=True) for _ in range(MEMORY_RUNS)]
        sizes = {}
        for k, p in paths.items():
            if os.path.isdir(p):
                n = sum(len(f) for _, _, f in os.walk(p))
                b = sum(os.path.getsize(os.path.join(r, x)) for r, _, fs in os.walk(p) for x in fs)
                sizes[k] = f"{n} files, {b:,} bytes"
            else:
                sizes[k] = f"{os.path.getsize(p):,} bytes"
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    if a.only:
        for c in cmds:
            print(f"{c.label:55s} wall {fmt_s(c.median('wall')):>9s} cpu {fmt_s(c.median('cpu')):>9s} "
                  f"rss {max(x.maxrss_kib for x in c.runs) / 1024:.0f} MiB")
        return 0
    text, all_met = report(cmds, machine(), reps, (load_before, loadavg()), elapsed, sizes)
    with open(a.output, "w", encoding="utf-8") as fh:
        fh.write(text + kept_sections(a.output))
    print(text)
    print(f"written to {a.output}", file=sys.stderr)
    return 0 if all_met else 1


# Sections of RESULTS.md that other scripts measure (bench/shapes.py), kept when this one rewrites it.
KEPT_HEADINGS = ("## Hostile shapes",)


def kept_sections(path: str) -> str:
    """The kept sections of the current results file, from the first kept heading to the end."""
    try:
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
    except OSError:
        return ""
    starts = [old.find("\n" + h) for h in KEPT_HEADINGS if old.find("\n" + h) >= 0]
    return "\n" + old[min(starts) + 1:] if starts else ""


if __name__ == "__main__":
    sys.exit(main())
