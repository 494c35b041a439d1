"""Check many files (or much text) one file at a time, in worker processes when that pays.

`redislint.engine.check_paths` comes here when `plan` says so. Each file is parsed, its targets
found and its rules run on its own, in a worker or in this process; what comes back is picklable
findings and the little that suppressions and profiles need of each target (`LightTarget`), never
node trees, so a file's trees are freed as soon as it is done. The parent puts everything back in
the order of the one-pass pipeline (targets by pass, file and position, then YAML problems by
file) and finishes the report with the same code (`pipeline.finish_report`): the output is
byte-identical whatever the number of workers.

Cross-file references. A document may read an object defined in another file; checking a file
alone is exact only when none of that crosses a file boundary. `redislint.references` says, from what
each file defines and mentions for the input index's lookups, which files must be checked together:
they are checked again, as one unit, in a second round whose results replace the per-file ones; a
run whose files name others by path goes through the one-pass pipeline. The stages themselves
(discovery, judging, the report) are `redislint.pipeline`'s, the same functions the one-process
driver (`engine`) calls; only the order of targets is rebuilt here, from the discovery pass that
yielded each (`Discovery.stage`), the file's index and its place in that file.

Workers start with `fork` where available (Linux), so they inherit the imported modules; elsewhere
with the platform default. A rich progress bar is shown on stderr when it is a terminal and the
run has taken more than a second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, NamedTuple

from redislint.assumptions import shown_assumptions
from redislint.inputs import ReadInputs, SourceFile, parse_source
from redislint.judging import LightTarget
from redislint.model import Finding, Report
from redislint.options import AUTO_JOBS, ONE_PROCESS, CheckOptions
from redislint.pipeline import RunContext, finish_report, judged_problems, judged_targets
from redislint.processes import MAX_WORKERS, available_cpus, cap_jobs, pool_context, start_pool
from redislint.references import NO_REFERENCES, FileReferences, file_references, linked_units, names_files_by_path
from redislint.repo_index import target_reads
from redislint.sources import YamlFile
from redislint.target import Target
from redislint.targets import ConfFile, Discovery

# Below this many files (and this much text) a single pass over everything is used. File by file,
# each file's trees are freed once its findings are made, so a large run keeps little alive: less
# memory, and the garbage collector has little to scan while the report is rendered.
STREAM_MIN_FILES = 50
STREAM_MIN_CHARS = 1024 * 1024
# Or this many documents: one tiny values document is a Redis target of tens of kB while it is
# checked, and the one pass keeps every target of the run (10,000 in 290 kB held 500 MB).
STREAM_MIN_DOCUMENTS = 1000
# Automatic mode starts workers only for inputs that pay for them (a pool's cost: bench/RESULTS.md).
AUTO_MIN_FILES = 200
AUTO_MIN_CHARS = 4 * 1024 * 1024
PROGRESS_AFTER_S = 1.0
class Plan(NamedTuple):
    """How to run: file by file (`streaming`) and with how many worker processes (1: none)."""

    streaming: bool
    workers: int


class Checked:
    """Targets (with their sort key and findings) and YAML-problem findings, per file index."""

    __slots__ = ("targets", "source", "summaries", "files", "status")

    def __init__(self, files: int = 0) -> None:
        self.targets: list[tuple[tuple[int, int, int], LightTarget, list[Finding]]] = []
        self.source: dict[int, list[Finding]] = {}
        self.status: dict[str, str] = {}  # what became of each file (targets.Discovery.files)
        self.summaries: dict[int, FileReferences] = {}
        self.files = files  # how many files this covers (for progress)


def plan(read: ReadInputs, jobs: int) -> Plan:
    """`jobs`: ONE_PROCESS (1) = in this process, N >= 2 = up to N workers, AUTO_JOBS (0) = automatic."""
    n = len(read.files)
    if jobs == ONE_PROCESS:
        workers = 1
    elif jobs > AUTO_JOBS:
        workers = min(cap_jobs(jobs), n)
    else:
        large = n >= AUTO_MIN_FILES or (n >= 2 and read.total_chars >= AUTO_MIN_CHARS)
        workers = min(available_cpus(), n, MAX_WORKERS) if large else 1
    workers = max(workers, 1)
    streaming = workers >= 2 or n >= STREAM_MIN_FILES or (n >= 1 and read.total_chars >= STREAM_MIN_CHARS) \
        or sum(f.text.count("\n---") for f in read.files if not f.conf) >= STREAM_MIN_DOCUMENTS
    if streaming and n >= 2 and any(names_files_by_path(f.text) for f in read.files if not f.conf):
        # Argo CD valueFiles name other inputs by path, and so does a kustomize configMapGenerator
        # (whose values file a HelmRelease pins, `charts.pins`): only the one-pass pipeline sees them all.
        return Plan(False, 1)
    return Plan(streaming, workers if streaming else 1)


# -- the work done for a set of files (in a worker, or in this process) --------------------------

def _light(t: Target, hidden: frozenset[str]) -> LightTarget:
    reads = None
    if t.path in hidden:  # a referrer's target counts only if it read a reported file
        reads = target_reads(t)
    return LightTarget(t.path, t.name, t.annotations, t.annotation_spans, t.anchor, t.role, shown_assumptions(t),
                       reads)


def check_files(ctx: RunContext, items: list[tuple[int, SourceFile]], summarize: bool) -> Checked:
    """Check the files `items` ((index, source)) as one set, with the stages of the one-pass pipeline."""
    out = Checked(files=len(items))
    with ctx.gc_paused():
        yaml_files: list[YamlFile] = []
        conf_files: list[ConfFile] = []
        index_of: dict[str, int] = {}
        for i, source in items:
            index_of.setdefault(source.path, i)
            loaded = parse_source(source)
            if isinstance(loaded, ConfFile):
                conf_files.append(loaded)
                if summarize:
                    out.summaries[i] = NO_REFERENCES
                continue
            yaml_files.append(loaded)
            if summarize:
                out.summaries[i] = file_references(loaded)
        first = items[0][0]
        found = Discovery()
        # One target at a time: judged, then only its findings and what suppressions need are kept.
        for seq, (stage, target, findings) in enumerate(judged_targets(yaml_files, conf_files, ctx, found)):
            out.targets.append(((stage, index_of.get(target.path, first), seq), _light(target, ctx.hidden), findings))
        # YAML problems of each file, with those discovery found in values strings (RL001, RL002)
        # and the Redis it could not analyse (RL004): the one-pass pipeline reports them alike.
        extra: dict[str, list] = {}
        for p in found.problems:
            extra.setdefault(p.span.path, []).append(p)
        for loaded in yaml_files:
            out.source[index_of[loaded.path]] = judged_problems(list(loaded.problems) + extra.get(loaded.path, []), ctx)
        out.status.update(found.files)
    return out


def _add(checked: Checked, part: Checked) -> None:
    """Collect one task's results into `checked`."""
    checked.targets += part.targets
    checked.source.update(part.source)
    checked.status.update(part.status)
    checked.summaries.update(part.summaries)


def check_each(ctx: RunContext, summarize: bool, items: list[tuple[int, SourceFile]]) -> Checked:
    """Round 1: every file on its own (with its references when there are other files to refer to)."""
    out = Checked(files=len(items))
    for item in items:
        _add(out, check_files(ctx, [item], summarize))
    return out


def check_unit(ctx: RunContext, items: list[tuple[int, SourceFile]]) -> Checked:
    """Round 2: files that refer to each other, together."""
    return check_files(ctx, items, summarize=False)


# In a worker process only: its own run context, built once from the parent's options at start-up
# (`_start_worker`); the parent never reads it. Tasks name the round (`_worker_each`, `_worker_unit`).
_WORKER: list[tuple[RunContext, bool]] = []


def _start_worker(options: CheckOptions, hidden: frozenset[str], summarize: bool) -> None:
    _WORKER[:] = [(RunContext.start(options, hidden), summarize)]


def _worker_each(items: list[tuple[int, SourceFile]]) -> Checked:
    ctx, summarize = _WORKER[0]
    return check_each(ctx, summarize, items)


def _worker_unit(items: list[tuple[int, SourceFile]]) -> Checked:
    return check_unit(_WORKER[0][0], items)


# -- running -------------------------------------------------------------------------------------

class _Progress:
    """A rich progress bar on stderr, only on a terminal, and only once the run has taken a second."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def advance(self, n: int, description: str = "Checking files") -> None:
        self.done += n
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_S:
                return
            from rich.console import Console  # noqa: PLC0415 - rich loads only when a progress bar is shown
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn  # noqa: PLC0415 - rich loads only when a progress bar is shown

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(description, total=self.total, completed=self.done)
            return
        self.bar.update(self.task, completed=min(self.done, self.total), description=description)

    def extend(self, n: int) -> None:
        self.total += n
        if self.bar is not None:
            self.bar.update(self.task, total=self.total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _chunks(items: list[tuple[int, SourceFile]], workers: int) -> list[list[tuple[int, SourceFile]]]:
    """Biggest files first, grouped into chunks of about 1/(8 x workers) of the input (big files alone)."""
    total = sum(len(s.text) for _, s in items)
    target = max(total // (workers * 8), 1)
    ordered = sorted(items, key=lambda it: (-len(it[1].text), it[0]))
    out: list[list[tuple[int, SourceFile]]] = []
    current: list[tuple[int, SourceFile]] = []
    size = 0
    for it in ordered:
        current.append(it)
        size += len(it[1].text)
        if size >= target or len(current) >= 64:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def _run(tasks: list[list[tuple[int, SourceFile]]], fn: Callable[[list[tuple[int, SourceFile]]], Checked],
         pool: Any, progress: _Progress, description: str) -> Iterator[Checked]:
    """Results of `fn` over `tasks`, as they complete (their order does not matter: keys sort them)."""
    results = map(fn, tasks) if pool is None else pool.imap_unordered(fn, tasks)
    for result in results:
        progress.advance(result.files, description)
        yield result


def check_streaming(read: ReadInputs, ctx: RunContext, how: Plan,
                    change: Any = None) -> tuple[Report, list[LightTarget]]:
    """Check `read` file by file (in `how.workers` processes) and build the one-pass report; the
    context's `hidden` files are read to resolve references, never reported, and `change` is what
    `check --base` found (both go to `pipeline.finish_report`)."""
    items = list(enumerate(read.files))
    tty = sys.stderr is not None and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    progress = _Progress(len(items), tty and len(items) >= STREAM_MIN_FILES)
    summarize = len(items) > 1  # one file cannot refer to another
    pool = None
    checked = Checked()
    try:
        if how.workers >= 2:
            pool = start_pool(pool_context(), how.workers, _start_worker, (ctx.options, ctx.hidden, summarize))
        each: Callable[[list[tuple[int, SourceFile]]], Checked] = _worker_each
        unit: Callable[[list[tuple[int, SourceFile]]], Checked] = _worker_unit
        if pool is None:  # in this process, with this run's context
            each, unit = partial(check_each, ctx, summarize), partial(check_unit, ctx)
        tasks = _chunks(items, how.workers) if pool is not None else [[it] for it in items]
        with ctx.gc_paused():
            for part in _run(tasks, each, pool, progress, "Checking files"):
                _add(checked, part)
            linked = linked_units(checked.summaries)
            if linked:
                again = {i for u in linked for i in u}
                checked.targets = [e for e in checked.targets if e[0][1] not in again]
                progress.extend(len(again))
                unit_tasks = sorted(([(i, read.files[i]) for i in u] for u in linked),
                                    key=lambda t: -sum(len(s.text) for _, s in t))
                for part in _run(unit_tasks, unit, pool, progress, "Checking cross-file references"):
                    _add(checked, part)
    finally:
        if pool is not None:
            pool.terminate()
        progress.close()
    with ctx.gc_paused():
        checked.targets.sort(key=lambda e: e[0])
        findings = [f for _, _, found in checked.targets for f in found]
        for i in sorted(checked.source):
            findings += checked.source[i]
        targets = [t for _, t, _ in checked.targets]
        report = finish_report(ctx, findings, targets, read, checked.status, change)
    return report, targets
