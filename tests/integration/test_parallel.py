"""Checking file by file and in worker processes gives the report of one pass, byte for byte.

Speed is measured by bench/run.py, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint import parallel, processes, references
from redislint.cli import main
from redislint.engine import CheckOptions, check_paths, selected_rules
from redislint.output import FORMATTERS, OutputOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_corpus import shared_corpus

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "bench" / "gen_corpus.py"
SHARED_CORPUS = shared_corpus()


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated files with every kind of cross-file reference (see bench/gen_corpus.py --mix mixed)."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(GENERATOR), "--quiet", "--out", str(out), "--count", "60", "--mix", "mixed"],
                   check=True)
    return out


def _cli(*args: str, cwd: Path) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_2_output_is_byte_identical_to_jobs_1(mixed_corpus: Path, fmt: str) -> None:
    one = _cli("check", "--jobs", "1", "--format", fmt, ".", cwd=mixed_corpus)
    two = _cli("check", "--jobs", "2", "--format", fmt, ".", cwd=mixed_corpus)
    assert one == two
    assert one[0] == 1 and "RL" in one[1]  # the corpus has findings, so the comparison means something


def _rendered(paths: list[str], stream_min: int, monkeypatch: pytest.MonkeyPatch, jobs: int = 1) -> str:
    monkeypatch.setattr(parallel, "STREAM_MIN_FILES", stream_min)
    options = CheckOptions(jobs=jobs)
    report, _ = check_paths(paths, options)
    opts = OutputOptions(root=os.getcwd(), color=False, automation_id="redislint/", show_suppressed=True)
    rules = selected_rules(options)
    return FORMATTERS["text"](report, rules, opts) + FORMATTERS["json"](report, rules, opts)


def test_file_by_file_matches_one_pass(mixed_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cross-file references (shared OCIRepository, values ConfigMap/Secret next door, mounted
    ConfigMap) are checked together again, so the per-file route gives the one-pass report."""
    one_pass = _rendered([str(mixed_corpus)], 10**9, monkeypatch)
    assert _rendered([str(mixed_corpus)], 1, monkeypatch) == one_pass
    assert _rendered([str(mixed_corpus)], 1, monkeypatch, jobs=2) == one_pass


def test_cross_file_references_are_grouped(mixed_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[list[int]]] = []
    real = parallel.linked_units
    monkeypatch.setattr(parallel, "linked_units", lambda s: seen.append(real(s)) or seen[-1])
    _rendered([str(mixed_corpus)], 1, monkeypatch)
    assert seen and any(len(u) >= 2 for u in seen[0])


@pytest.mark.shared_corpus
def test_real_world_corpus_file_by_file_matches_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    one_pass = _rendered([str(SHARED_CORPUS)], 10**9, monkeypatch)
    assert _rendered([str(SHARED_CORPUS)], 1, monkeypatch, jobs=2) == one_pass


def test_value_files_fall_back_to_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argo CD valueFiles name other inputs by path: such a run is checked in one pass."""
    (tmp_path / "values-prod.yaml").write_text("architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n")
    (tmp_path / "app.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          source:
            repoURL: https://charts.bitnami.com/bitnami
            chart: redis
            targetRevision: 19.6.4
            helm:
              valueFiles:
                - values-prod.yaml
        """))
    monkeypatch.setattr(parallel, "STREAM_MIN_FILES", 1)
    from redislint.inputs import read_inputs

    assert parallel.plan(read_inputs([str(tmp_path)]), 2) == parallel.Plan(False, 1)
    assert _rendered([str(tmp_path)], 1, monkeypatch, jobs=2) == _rendered([str(tmp_path)], 10**9, monkeypatch)


def test_units_link_files_by_name() -> None:
    s = references.FileReferences
    summaries = {
        0: s(frozenset({"shared-oci"}), frozenset(), False),
        1: s(frozenset(), frozenset({"shared-oci", "bitnami"}), False),
        2: s(frozenset(), frozenset({"bitnami"}), False),
        3: s(frozenset({"cm"}), frozenset({"cm"}), False),  # refers to itself only
        4: s(frozenset(), frozenset({"shared-oci"}), False),
    }
    assert references.linked_units(summaries) == [[0, 1, 4]]
    summaries[2] = s(frozenset(), frozenset(), True)
    assert references.linked_units(summaries) == [[0, 1, 2, 3, 4]]


def test_file_references_provide_exactly_what_the_input_index_looks_up() -> None:
    """A file provides the names of exactly the objects `InputIndex` finds by name (else a cross-file
    reference to a new kind would go unnoticed and a file checked alone would differ), and every
    other object's `name:` values are mentions."""
    from redislint.discover import InputIndex
    from redislint.sources import load_yaml

    kinds = ["ConfigMap", "Secret", "OCIRepository", "HelmRepository", "GitRepository", "Bucket", "HelmChart",
             "Kustomization", "HelmRelease", "Application", "StatefulSet", "Deployment", "Service", "Namespace"]
    api = {"ConfigMap": "v1", "Secret": "v1", "Service": "v1", "Namespace": "v1", "StatefulSet": "apps/v1",
           "Deployment": "apps/v1", "Application": "argoproj.io/v1alpha1", "HelmRelease": "helm.toolkit.fluxcd.io/v2"}
    text = "".join(f"---\napiVersion: {api.get(k, 'source.toolkit.fluxcd.io/v1')}\nkind: {k}\n"
                   f"metadata:\n  name: n-{k.lower()}\n" for k in kinds)
    file = load_yaml("all.yaml", text)
    idx = InputIndex.build([file])
    found = references.file_references(file)
    assert found.provides == {name for _, name in idx.objects}
    assert found.provides == {"n-configmap", "n-secret", "n-ocirepository", "n-helmchart"}
    assert {"n-helmrelease", "n-application", "n-statefulset", "n-deployment"} <= found.mentions


def test_automatic_plan_uses_workers_only_for_large_inputs() -> None:
    from redislint.inputs import ReadInputs, SourceFile

    small = ReadInputs(files=[SourceFile(f"f{i}.yaml", "a: 1\n", False) for i in range(10)])
    assert parallel.plan(small, 0) == parallel.Plan(False, 1)
    large = ReadInputs(files=[SourceFile(f"f{i}.yaml", "a: 1\n", False) for i in range(parallel.AUTO_MIN_FILES)])
    auto = parallel.plan(large, 0)
    assert auto.streaming and auto.workers == min(processes.available_cpus(), processes.MAX_WORKERS)
    assert parallel.plan(large, 1) == parallel.Plan(True, 1)
    workers = min(3, processes.available_cpus())  # --jobs is capped at the CPUs
    assert parallel.plan(small, 3) == parallel.Plan(workers >= 2, workers)


def test_import_cli_does_not_import_jsonschema_rich_or_the_engine() -> None:
    code = textwrap.dedent("""\
        import json, sys
        import redislint.cli
        from redislint.cli import main
        try:
            main(["--version"])
        except SystemExit:
            pass
        print(json.dumps(sorted(sys.modules)))
        """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    modules = set(json.loads(out.splitlines()[-1]))
    for heavy in ("jsonschema", "rich", "ruamel", "redislint.engine", "redislint.sources", "redislint.rules"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in modules), heavy


@pytest.mark.parametrize("color", [False, True])
def test_text_rendered_in_workers_is_byte_identical(mixed_corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                    color: bool) -> None:
    """Runs of files rendered in worker processes (by the check driver) and joined give the text of
    the pure formatter in one process."""
    from redislint.commands import outputs

    options = CheckOptions(jobs=1)
    report, _ = check_paths([str(mixed_corpus)], options)
    rules = selected_rules(options)
    opts = OutputOptions(root=str(mixed_corpus), color=color, show_suppressed=True)

    def render(jobs: int) -> str:
        return outputs.formatter("text", jobs, len(report.findings))(report, rules, opts)

    single = FORMATTERS["text"](report, rules, opts)
    monkeypatch.setattr(outputs, "PARALLEL_MIN_FINDINGS", 1)
    used: list[tuple[int, int]] = []
    real = processes.map_in_order
    monkeypatch.setattr(processes, "map_in_order", lambda fn, tasks, workers: used.append((len(tasks), workers))
                        or real(fn, tasks, workers))
    assert render(2) == single
    assert render(3) == single
    assert render(1) == single
    assert used == [(2, 2), (3, 3)]  # the runs really were split and sent to workers; -j1: none
    assert single.count("\n") > 100 and "RL" in single


def test_text_work_is_split_into_runs_of_whole_files() -> None:
    from redislint.model import Finding, Severity, Span
    from redislint.output._common import Entry
    from redislint.output.text import _split

    def group(path: str, n: int) -> list[Entry]:
        return [Entry(Finding("RL201", "x", Severity.ERROR, "m", Span(path, i + 1, 1, i + 1, 2)), path, "fp")
                for i in range(n)]

    groups = [group("a", 5), group("b", 1), group("c", 1), group("d", 3)]
    tasks = _split(groups, 2, {"a": "", "b": "", "c": "", "d": ""}, OutputOptions(root="."))
    assert [[g[0].path for g in t.groups] for t in tasks] == [["a"], ["b", "c", "d"]]
    assert [sorted(t.texts) for t in tasks] == [["a"], ["b", "c", "d"]]  # only the texts each run shows
    assert len(_split(groups, 8, {}, OutputOptions(root="."))) == 4  # never more runs than files


def test_text_rendering_in_spawned_workers(mixed_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where workers are spawned, not forked (macOS, Windows), the runs of findings are pickled to
    them: they must survive the trip and give the same text."""
    import multiprocessing

    from redislint.commands import outputs

    options = CheckOptions(jobs=1)
    report, _ = check_paths([str(mixed_corpus)], options)
    rules = selected_rules(options)
    opts = OutputOptions(root=str(mixed_corpus), show_suppressed=True)
    single = FORMATTERS["text"](report, rules, opts)
    monkeypatch.setattr(outputs, "PARALLEL_MIN_FINDINGS", 1)
    spawned: list[str] = []
    monkeypatch.setattr(processes, "pool_context",
                        lambda: spawned.append("spawn") or multiprocessing.get_context("spawn"))
    assert outputs.formatter("text", 2, len(report.findings))(report, rules, opts) == single
    assert spawned == ["spawn"]


def test_without_worker_processes_everything_runs_here(mixed_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a pool cannot start (no fork, no semaphores: some sandboxes), the check and the
    rendering fall back to this process and give the same report."""
    from redislint.commands import outputs

    def expected() -> str:
        options = CheckOptions(jobs=1)
        report, _ = check_paths([str(mixed_corpus)], options)
        return FORMATTERS["text"](report, selected_rules(options), OutputOptions(root=str(mixed_corpus)))

    single = expected()

    class NoPools:
        def get_start_method(self) -> str:
            return "fork"

        def Pool(self, *args, **kwargs):  # the multiprocessing name
            raise OSError(38, "Function not implemented")

    tried: list[int] = []
    monkeypatch.setattr(processes, "pool_context", lambda: tried.append(1) or NoPools())
    monkeypatch.setattr(parallel, "pool_context", lambda: tried.append(1) or NoPools())
    monkeypatch.setattr(parallel, "STREAM_MIN_FILES", 1)
    monkeypatch.setattr(outputs, "PARALLEL_MIN_FINDINGS", 1)
    options = CheckOptions(jobs=2)
    report, _ = check_paths([str(mixed_corpus)], options)
    assert outputs.formatter("text", 2, len(report.findings))(report, selected_rules(options),
                                                              OutputOptions(root=str(mixed_corpus))) == single
    assert len(tried) >= 2  # both the check and the rendering asked for workers
