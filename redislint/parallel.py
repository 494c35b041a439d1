"""Check many files (or much text) one file at a time, in worker processes when that pays.

`redislint.engine.check_paths` comes here when `plan` says so. Each file is parsed, its targets
found and its rules run on its own, in a worker or in this process; what comes back is picklable
findings and the little that suppressions and profiles need of each target (`LightTarget`), never
node trees, so a file's trees are freed as soon as it is done. The parent puts everything back in
the order of the one-pass pipeline (targets by pass, file and position, then YAML problems by
file) and finishes the report with the same code (`engine.finish_report`): the output is
byte-identical whatever the number of workers.

Cross-file references. A HelmRelease or Application may read a ConfigMap, Secret, OCIRepository or
HelmChart defined in another file (`valuesFrom`, `chartRef`, a workload's `configMap` volume), and such a
ConfigMap is then no target of its own. Checking a file alone is exact only when none of that
crosses a file boundary. Every such lookup goes by the object's `name` (`discover.InputIndex`), so
each file's summary lists the names of the ConfigMaps, Secrets and chart sources it defines and
every `name:` value written in its HelmReleases, Applications and workloads (a superset of the
names they can look up). Files linked by a name (one defines it, another mentions it) are checked
again together, as one unit, in a second round whose results replace the per-file ones. Argo CD
`valueFiles` name other inputs by path, and so does a kustomize `configMapGenerator` (a HelmRelease
pins the chart version of the values file it generates a ConfigMap from): a run that mentions either
anywhere goes through the one-pass pipeline. A new kind of lookup between documents must be reflected in `PROVIDER_KINDS` /
`_summary`; the tests compare this module with the one-pass pipeline on a corpus that has every
kind of reference, and check `PROVIDER_KINDS` against `InputIndex`.

Workers start with `fork` where available (Linux), so they inherit the imported modules; elsewhere
with the platform default. A rich progress bar is shown on stderr when it is a terminal and the
run has taken more than a second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any, NamedTuple

from redislint.assumptions import shown_assumptions
from redislint.discover import classify, text_of
from redislint.engine import (
    CheckOptions,
    ProfileCache,
    finish_report,
    gc_paused,
    run_rules,
    selected_rules,
    source_findings,
)
from redislint.inputs import Inputs, ReadInputs, SourceFile, parse_source
from redislint.model import Finding, Report, Span
from redislint.processes import MAX_WORKERS, available_cpus, cap_jobs, pool_context, start_pool
from redislint.sources import MapNode, SeqNode, YamlFile, node_at
from redislint.target import Assumption
from redislint.targets import ConfFile, Discovery, iter_targets

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
# Kinds looked up by name (`discover.InputIndex.build`), and the kinds that look them up.
PROVIDER_KINDS = frozenset({"ConfigMap", "Secret", "OCIRepository", "HelmChart"})
CONSUMER_KINDS = frozenset({"HelmRelease", "Application", "Workload"})
PATH_REFERENCE_KEY = "valueFiles"
GENERATOR_KEY = "configMapGenerator"


class Plan(NamedTuple):
    """How to run: file by file (`streaming`) and with how many worker processes (1: none)."""

    streaming: bool
    workers: int


class LightTarget(NamedTuple):
    """What suppressions and profile selection need of a target, cheap to send between processes."""

    path: str
    name: str
    annotations: dict[str, str]
    annotation_spans: dict[str, Span]
    anchor: Span
    role: str = ""
    assumptions: tuple[Assumption, ...] = ()  # those that apply to it (`assumptions.shown_assumptions`)
    reads: frozenset[str] | None = None  # files its configuration came from, when some are not reported


class FileSummary(NamedTuple):
    """The names a file defines and mentions, for cross-file references."""

    provides: frozenset[str]
    mentions: frozenset[str]
    path_references: bool


class Checked:
    """Targets (with their sort key and findings) and YAML-problem findings, per file index."""

    __slots__ = ("targets", "source", "summaries", "files", "status")

    def __init__(self, files: int = 0) -> None:
        self.targets: list[tuple[tuple[int, int, int], LightTarget, list[Finding]]] = []
        self.source: dict[int, list[Finding]] = {}
        self.status: dict[str, str] = {}  # what became of each file (targets.Discovery.files)
        self.summaries: dict[int, FileSummary] = {}
        self.files = files  # how many files this covers (for progress)


def plan(read: ReadInputs, jobs: int) -> Plan:
    """`jobs`: 1 = in this process, N >= 2 = up to N workers, 0 (or less) = automatic."""
    n = len(read.files)
    if jobs == 1:
        workers = 1
    elif jobs >= 2:
        workers = min(cap_jobs(jobs), n)
    else:
        large = n >= AUTO_MIN_FILES or (n >= 2 and read.total_chars >= AUTO_MIN_CHARS)
        workers = min(available_cpus(), n, MAX_WORKERS) if large else 1
    workers = max(workers, 1)
    streaming = workers >= 2 or n >= STREAM_MIN_FILES or (n >= 1 and read.total_chars >= STREAM_MIN_CHARS) \
        or sum(f.text.count("\n---") for f in read.files if not f.conf) >= STREAM_MIN_DOCUMENTS
    if streaming and n >= 2 and any(PATH_REFERENCE_KEY in f.text or GENERATOR_KEY in f.text
                                    for f in read.files if not f.conf):
        # Argo CD valueFiles name other inputs by path, and so does a kustomize configMapGenerator
        # (whose values file a HelmRelease pins, `charts.pins`): only the one-pass pipeline sees them all.
        return Plan(False, 1)
    return Plan(streaming, workers if streaming else 1)


# -- the work done for a set of files (in a worker, or in this process) --------------------------

_STATE: dict[str, Any] = {}


def _init(options: CheckOptions, summarize: bool = True, hidden: frozenset[str] = frozenset()) -> None:
    """Per process: the options, the selected rules and a profile cache."""
    _STATE["options"] = options
    _STATE["summarize"] = summarize
    _STATE["hidden"] = hidden
    _STATE["rules"] = selected_rules(options)
    _STATE["profiles"] = ProfileCache()


def _light(t: Any) -> LightTarget:
    reads = None
    if t.path in _STATE.get("hidden", ()):  # a referrer's target counts only if it read a reported file
        from redislint.repo_index import target_reads  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

        reads = target_reads(t)
    return LightTarget(t.path, t.name, t.annotations, t.annotation_spans, t.anchor, t.role, shown_assumptions(t),
                       reads)


def _summary(yf: YamlFile) -> FileSummary:
    """Names defined (ConfigMap, Secret, OCIRepository) and `name:` values of the referring documents."""
    provides: set[str] = set()
    mentions: set[str] = set()
    path_refs = False
    for doc in yf.documents:
        root = doc.root
        if not isinstance(root, MapNode):
            continue
        kind = classify(doc).kind
        if kind in PROVIDER_KINDS:
            provides.add(str(text_of(node_at(root, "metadata.name"))))
        if kind not in CONSUMER_KINDS:
            continue
        # Every node of the document, each once (an alias shares its anchor's node, which is
        # written, hence reached, in the same document), iteratively.
        seen: set[int] = set()
        stack: list[Any] = [root]
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is MapNode:
                if id(node) in seen:
                    continue
                seen.add(id(node))
                name = text_of(node.get("name"))  # merges applied, as the lookups read it
                if name is not None:
                    mentions.add(name)
                if PATH_REFERENCE_KEY in node:
                    path_refs = True
                stack += [v for _, v in node.entries]
            elif cls is SeqNode:
                if id(node) in seen:
                    continue
                seen.add(id(node))
                stack += node.items
    return FileSummary(frozenset(provides), frozenset(mentions), path_refs)


def _phase(target: Any, conf: bool) -> int:
    """The pass of `find_targets` that yields a target: documents, then ConfigMaps, then .conf files."""
    if conf:
        return 2
    return 1 if target.kind == "ConfigMap" else 0


def _check(items: list[tuple[int, SourceFile]], summarize: bool) -> Checked:
    """Check the files `items` ((index, source)) as one set, as the one-pass pipeline would."""
    options: CheckOptions = _STATE["options"]
    rules = _STATE["rules"]
    profiles: ProfileCache = _STATE["profiles"]
    out = Checked(files=len(items))
    with gc_paused():
        yaml_files: list[YamlFile] = []
        conf_files: list[ConfFile] = []
        index_of: dict[str, int] = {}
        conf_paths: set[str] = set()
        for i, source in items:
            index_of.setdefault(source.path, i)
            loaded = parse_source(source)
            if isinstance(loaded, ConfFile):
                conf_files.append(loaded)
                conf_paths.add(source.path)
                if summarize:
                    out.summaries[i] = FileSummary(frozenset(), frozenset(), False)
                continue
            yaml_files.append(loaded)
            if summarize:
                out.summaries[i] = _summary(loaded)
        first = items[0][0]
        found = Discovery()
        # One target at a time: checked, then only its findings and what suppressions need are kept.
        for seq, target in enumerate(iter_targets(yaml_files, conf_files, options.targets, found)):
            key = (_phase(target, target.path in conf_paths), index_of.get(target.path, first), seq)
            out.targets.append((key, _light(target), run_rules([target], rules, options, profiles)))
        # YAML problems of each file, with those discovery found in values strings (RL001, RL002)
        # and the Redis it could not analyse (RL004): the one-pass pipeline reports them alike.
        extra: dict[str, list] = {}
        for p in found.problems:
            extra.setdefault(p.span.path, []).append(p)
        for loaded in yaml_files:
            i = index_of[loaded.path]
            out.source[i] = source_findings(Inputs(problems=list(loaded.problems) + extra.get(loaded.path, [])),
                                            rules, options, profiles)
        out.status.update(found.files)
    return out


def _add(checked: Checked, part: Checked) -> None:
    """Collect one task's results into `checked`."""
    checked.targets += part.targets
    checked.source.update(part.source)
    checked.status.update(part.status)
    checked.summaries.update(part.summaries)


def _check_each(items: list[tuple[int, SourceFile]]) -> Checked:
    """Round 1: every file on its own (with its summary when there are other files to refer to)."""
    out = Checked(files=len(items))
    for item in items:
        _add(out, _check([item], summarize=_STATE["summarize"]))
    return out


def _check_unit(items: list[tuple[int, SourceFile]]) -> Checked:
    """Round 2: files that refer to each other, together."""
    return _check(items, summarize=False)


# -- cross-file units ----------------------------------------------------------------------------

def units(summaries: dict[int, FileSummary]) -> list[list[int]]:
    """Groups of two or more files linked by a name one defines and another mentions, in file order."""
    if any(s.path_references for s in summaries.values()):
        return [sorted(summaries)]
    providers: dict[str, list[int]] = {}
    for i, s in summaries.items():
        for name in s.provides:
            providers.setdefault(name, []).append(i)
    parent = {i: i for i in summaries}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, s in summaries.items():
        for name in s.mentions:
            for j in providers.get(name, ()):
                if j != i:
                    parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in sorted(summaries):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


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


def _run(tasks: list[list[tuple[int, SourceFile]]], fn: Any, pool: Any, progress: _Progress,
         description: str) -> Iterator[Checked]:
    """Results of `fn` over `tasks`, as they complete (their order does not matter: keys sort them)."""
    results = map(fn, tasks) if pool is None else pool.imap_unordered(fn, tasks)
    for result in results:
        progress.advance(result.files, description)
        yield result


def check_streaming(read: ReadInputs, options: CheckOptions, how: Plan,
                    hidden: frozenset[str] = frozenset(), change: Any = None) -> tuple[Report, list[LightTarget]]:
    """Check `read` file by file (in `how.workers` processes) and build the one-pass report;
    `hidden` files are read to resolve references, never reported, and `change` is what `check
    --base` found (both go to `engine.finish_report`)."""
    items = list(enumerate(read.files))
    tty = sys.stderr is not None and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    progress = _Progress(len(items), tty and len(items) >= STREAM_MIN_FILES)
    summarize = len(items) > 1  # one file cannot refer to another
    _init(options, summarize, hidden)
    pool = None
    checked = Checked()
    try:
        if how.workers >= 2:
            pool = start_pool(pool_context(), how.workers, _init, (options, summarize, hidden))
        tasks = _chunks(items, how.workers) if pool is not None else [[it] for it in items]
        with gc_paused():
            for part in _run(tasks, _check_each, pool, progress, "Checking files"):
                _add(checked, part)
            linked = units(checked.summaries)
            if linked:
                again = {i for u in linked for i in u}
                checked.targets = [e for e in checked.targets if e[0][1] not in again]
                progress.extend(len(again))
                unit_tasks = sorted(([(i, read.files[i]) for i in u] for u in linked),
                                    key=lambda t: -sum(len(s.text) for _, s in t))
                for part in _run(unit_tasks, _check_unit, pool, progress, "Checking cross-file references"):
                    _add(checked, part)
    finally:
        if pool is not None:
            pool.terminate()
        progress.close()
    with gc_paused():
        checked.targets.sort(key=lambda e: e[0])
        findings = [f for _, _, found in checked.targets for f in found]
        for i in sorted(checked.source):
            findings += checked.source[i]
        targets = [t for _, t, _ in checked.targets]
        report = finish_report(findings, targets, read.texts, read.notifications, read.files_read,
                               _STATE["rules"], options, _STATE["profiles"], checked.status, hidden, change)
    return report, targets
