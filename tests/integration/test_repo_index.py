"""One file checked alone (as pre-commit does) gets exactly the findings a whole-repository run gives it.

The repository index (`redislint.repo_index`) adds, from the repository's other files, the ones
that the checked files read (context) and the ones that read them (referrers); the whole
repository's run is the reference every test here compares with.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint import gitfiles, repo_index
from redislint.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from repo_fixture import git, write_repository

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_listings(monkeypatch, tmp_path: Path):
    gitfiles.forget()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    yield
    gitfiles.forget()


def run(cwd: Path, *args: str) -> tuple[int, dict]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", *args, "--format", "json"])
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def by_file(report: dict) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for f in report["findings"]:
        out.setdefault(f["path"], []).append((f["line"], f["column"], f["rule"], f["severity"], f["message"]))
    return {path: sorted(found) for path, found in out.items()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    write_repository(root, bad=True)
    return root


def test_each_file_alone_gets_what_the_whole_repository_gives_it(repo: Path) -> None:
    code, whole = run(repo, ".")
    assert code == 1
    expected = by_file(whole)
    # The problems below are only visible through references: the index must find them.
    assert "apps/queue-config/configmap.yaml" in expected  # read by a StatefulSet in another file
    assert "clusters/prod/shared/cache-09-values.yaml" in expected  # read by a release in another directory
    # Its Redis version comes from the release that reads the ConfigMap a kustomization makes of it.
    assert [f[2] for f in expected["apps/legacy/values.yaml"]] == ["RL016"]
    files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*.yaml") if ".git" not in p.parts
                   and not p.name.startswith("."))
    for rel in files:
        _, alone = run(repo, rel)
        assert by_file(alone) == ({rel: expected[rel]} if rel in expected else {}), rel
        template = "/templates/" in rel  # a chart template: a note, no finding, nothing read
        assert alone["summary"]["files_read"] == (0 if template else 1), rel
        assert any("Helm chart template" in n["message"] for n in alone["notifications"]) == template
    # A release alone counts its targets; a values ConfigMap alone counts the release that reads it.
    assert run(repo, "clusters/prod/cache-01/release.yaml")[1]["summary"]["targets_checked"] == 1
    assert run(repo, "clusters/prod/cache-01/values.yaml")[1]["summary"]["targets_checked"] == 1
    assert run(repo, "apps/web/deployment.yaml")[1]["summary"]["targets_checked"] == 0


def test_a_subset_in_several_batches_agrees_too(repo: Path) -> None:
    _, whole = run(repo, ".")
    expected = by_file(whole)
    batch = ["clusters/prod/cache-01/release.yaml", "clusters/dev/shared/cache-00-values.yaml",
             "apps/queue-config/configmap.yaml", "envs/prod/sessions-values.yaml"]
    _, part = run(repo, *batch)
    assert by_file(part) == {p: expected[p] for p in batch if p in expected}
    # From a subdirectory, and with the paths given absolute: the same.
    _, sub = run(repo / "apps", "queue-config/configmap.yaml")
    assert [f["message"] for f in sub["findings"]] == [m for *_, m in expected["apps/queue-config/configmap.yaml"]]
    _, absolute = run(Path("/"), str(repo / "apps" / "queue-config" / "configmap.yaml"))
    assert [f["rule"] for f in absolute["findings"]] == ["RL013"]


def test_without_the_index_a_file_alone_would_miss_them(repo: Path) -> None:
    """What the index is for: the same runs with the references cut are wrong."""
    from redislint.engine import CheckOptions, check_paths

    old = os.getcwd()
    os.chdir(repo)
    try:
        alone, _ = check_paths(["clusters/prod/cache-01/values.yaml"], CheckOptions(repository=False, select=("RL0",)))
        release, _ = check_paths(["clusters/prod/cache-01/release.yaml"], CheckOptions(repository=False,
                                                                                       select=("RL0",)))
        joined, _ = check_paths(["clusters/prod/cache-01/values.yaml"], CheckOptions(select=("RL0",)))
    finally:
        os.chdir(old)
    def seen(report) -> list[tuple]:
        return [(f.rule, f.span.line, f.message) for f in report.findings]

    assert [(rule, line) for rule, line, _ in seen(joined)] == [("RL013", 12), ("RL016", 13)]
    # Alone, the ConfigMap's Redis version is unknown (only the release names the chart version).
    assert ("RL016", 13) not in [(rule, line) for rule, line, _ in seen(alone)]
    assert [f.rule for f in release.findings] == ["RL003"]  # its ConfigMap is "not among the inputs"
    # The same from the command line.
    _, flagged = run(repo, "clusters/prod/cache-01/release.yaml", "--no-repository-index")
    assert [f["rule"] for f in flagged["findings"]] == ["RL003"]


def test_the_index_is_cached_in_the_git_directory_and_survives_damage(repo: Path, tmp_path: Path) -> None:
    run(repo, "clusters/prod/cache-01/values.yaml")
    cache = repo / ".git" / "redislint" / repo_index.CACHE_NAME
    data = json.loads(cache.read_text())
    # One summary per file the whole-repository run reads (the chart template it skips is none).
    assert len(data["entries"]) == run(repo, ".")[1]["summary"]["files_read"]
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""  # nothing written into the work tree
    # Damaged caches are read as missing and rewritten; the answer never changes.
    for damage in ("{not json", '{"header": {}, "entries": {}}', json.dumps({**data, "entries": {
            k: [[1], "x", None] for k in data["entries"]}})):
        cache.write_text(damage)
        gitfiles.forget()
        _, again = run(repo, "clusters/prod/cache-01/values.yaml")
        assert [f["rule"] for f in again["findings"]] == ["RL013", "RL016"], damage
        assert json.loads(cache.read_text())["entries"] == data["entries"]


def test_a_git_directory_that_cannot_be_written_falls_back_to_the_user_cache(repo: Path, tmp_path: Path) -> None:
    (repo / ".git" / "redislint").write_text("not a directory")  # as a read-only .git would refuse it
    _, found = run(repo, "clusters/prod/cache-01/values.yaml")
    assert [f["rule"] for f in found["findings"]] == ["RL013", "RL016"]
    written = list((tmp_path / "user-cache" / "redislint").rglob(repo_index.CACHE_NAME))
    assert len(written) == 1 and json.loads(written[0].read_text())["entries"]


def test_a_changed_file_is_summarised_from_the_work_tree_not_the_index(repo: Path) -> None:
    # The release now reads a ConfigMap that only the work tree has (unstaged, and untracked).
    release = repo / "clusters" / "dev" / "cache-00" / "release.yaml"
    release.write_text(release.read_text().replace("cache-00-values", "cache-00-extra"))
    extra = repo / "clusters" / "dev" / "cache-00" / "extra.yaml"
    extra.write_text((repo / "clusters/dev/shared/cache-00-values.yaml").read_text()
                     .replace("cache-00-values", "cache-00-extra").replace("save 900 1\n", "save 900 1 # x\n"))
    _, whole = run(repo, ".")
    gitfiles.forget()
    _, alone = run(repo, "clusters/dev/cache-00/extra.yaml")
    assert by_file(alone) == {"clusters/dev/cache-00/extra.yaml": by_file(whole)["clusters/dev/cache-00/extra.yaml"]}


def test_ignored_excluded_and_hidden_files_are_no_context(repo: Path) -> None:
    """Only what `check .` reads resolves references: a ConfigMap it skips must be missing alone too."""
    for rel, how in (("build/cm.yaml", "ignored"), (".hidden/cm.yaml", "hidden"), ("skip/cm.yaml", "excluded")):
        gitfiles.forget()
        (repo / ".gitignore").write_text("build/\n")
        (repo / ".redislint.yaml").write_text("select: [RL0]\nfail-on: warning\nexclude: [skip]\n")
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(repo / "clusters/dev/shared/cache-00-values.yaml"), target)
        _, whole = run(repo, ".")
        gitfiles.forget()
        _, alone = run(repo, "clusters/dev/cache-00/release.yaml")
        rules = [rule for _line, _column, rule, *_ in by_file(whole).get("clusters/dev/cache-00/release.yaml", [])]
        assert rules == ["RL003"], how
        assert by_file(alone) == {"clusters/dev/cache-00/release.yaml":
                                  by_file(whole)["clusters/dev/cache-00/release.yaml"]}, how
        shutil.move(str(target), repo / "clusters/dev/shared/cache-00-values.yaml")


def test_summaries_name_what_input_index_looks_up() -> None:
    """The contract with discover.InputIndex: every kind it finds by name is a provider here, and
    the prefilter lets every such file through."""
    from redislint.discover import INDEXED_KINDS
    from redislint.sources import load_yaml

    assert repo_index.PROVIDER_KINDS == frozenset(INDEXED_KINDS)
    for kind in repo_index.PROVIDER_KINDS:
        text = f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: thing\n"
        assert repo_index.summarize_text("x.yaml", text).provides == frozenset({"thing"}), kind
    text = ("kind: Application\nspec:\n  source:\n    helm:\n      valueFiles: [a/values.yaml, $v/b.yaml]\n"
            "  template:\n    spec:\n      volumes:\n        - configMap: {name: conf}\n"
            "          secret: {secretName: creds}\n      existingConfigmap: other\n")
    s = repo_index.summarize(load_yaml("x.yaml", text))
    assert s.mentions == {"conf", "creds", "other"} and s.paths == ("a/values.yaml", "$v/b.yaml")
    kustomization = ("kind: Kustomization\nconfigMapGenerator:\n  - name: made\n    files: [values.yaml, "
                     "extra.yaml=more/extra.yaml]\n")
    k = repo_index.summarize_text("kustomization.yaml", kustomization)
    assert k.provides == {"made"} and k.paths == ("values.yaml", "more/extra.yaml")


@pytest.mark.integration  # real pre-commit
def test_the_hook_agrees_with_the_whole_repository_in_real_pre_commit(tmp_path: Path) -> None:
    """`pre-commit run --all-files` (files shuffled into parallel batches) passes exactly when
    `redislint check .` passes, with the same findings per file; so does a run on some files."""
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pre-commit is required in CI but is not installed")
        pytest.skip("pre-commit is not installed")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def hook(repo: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([pre_commit, "try-repo", str(ROOT), "redislint", "--verbose", *args],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=900)

    def whole(repo: Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "redislint", "check", "."], cwd=repo, capture_output=True,
                              text=True, timeout=300)

    for bad in (False, True):
        repo = tmp_path / f"repo-{bad}"
        repo.mkdir()
        files = write_repository(repo, bad=bad)
        reference = whole(repo)
        assert reference.returncode == (1 if bad else 0), reference.stdout
        every = hook(repo, "--all-files")
        assert every.returncode == reference.returncode, every.stdout + every.stderr
        assert locations(every.stdout) == locations(reference.stdout)
        some = [f for f in files if "cache-01" in f or "cache-04" in f or "queue" in f]
        subset = hook(repo, "--files", *some)
        assert locations(subset.stdout) == {p: v for p, v in locations(reference.stdout).items() if p in some}
        assert subset.returncode == (1 if bad else 0)
        assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def locations(text: str) -> dict[str, list[str]]:
    """Finding headlines (`path:line:col: severity CODE slug`) of text output, by file."""
    import re

    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^(\S+?):(\d+):(\d+): (error|warning|note) (RL\d+) \S+$", text, re.MULTILINE):
        out.setdefault(m.group(1), []).append(":".join(m.groups()[1:]))
    return {p: sorted(v) for p, v in out.items()}


def test_a_config_suppression_is_judged_unused_only_by_a_whole_repository_run(repo: Path) -> None:
    (repo / ".redislint.yaml").write_text(
        "profile: critical\nselect: [RL0, RL9]\nfail-on: warning\nsuppress:\n"
        "  - {path: 'clusters/prod/cache-05/*', rules: [RL013], reason: known}\n"
        "  - {path: 'nowhere/*', rules: [RL013], reason: stale}\n")
    _, whole = run(repo, ".")
    assert [(f["path"], f["line"]) for f in whole["findings"] if f["rule"] == "RL901"] == [(".redislint.yaml", 4)]
    used = [f["rule"] for f in whole["findings"] if f["path"] == "clusters/prod/cache-05/values.yaml"]
    assert used == ["RL016"]  # its RL013 is what the first entry suppresses
    # A file alone cannot tell whether an entry for other files matches nothing.
    _, alone = run(repo, "clusters/dev/cache-00/release.yaml")
    assert [f for f in alone["findings"] if f["rule"] == "RL901"] == []
    # Without a repository around it, the run is all there is, and says so as before.
    _, isolated = run(repo, "clusters/dev/cache-00/release.yaml", "--no-repository-index")
    assert [f["rule"] for f in isolated["findings"]].count("RL901") == 2


def test_under_pre_commit_the_repository_is_what_the_commit_holds(repo: Path, monkeypatch) -> None:
    """pre-commit stashes unstaged changes, but untracked files stay: they are no part of the
    commit (CI will not have them), so they resolve nothing under pre-commit (PRE_COMMIT=1)."""
    release = "clusters/dev/cache-00/release.yaml"
    shared = repo / "clusters/dev/shared/cache-00-values.yaml"
    git(repo, "rm", "-q", "--cached", str(shared.relative_to(repo)))  # the ConfigMap is untracked now
    _, manual = run(repo, release)
    assert [f["rule"] for f in manual["findings"]] == []  # by hand: the work tree, as `check .` reads it
    monkeypatch.setenv("PRE_COMMIT", "1")
    gitfiles.forget()
    _, hook = run(repo, release)
    assert [f["rule"] for f in hook["findings"]] == ["RL003"]  # in the commit, the ConfigMap is missing


def test_effective_resolves_through_the_repository_too(repo: Path) -> None:
    def effective(*args: str) -> dict:
        old = os.getcwd()
        os.chdir(repo)
        try:
            result = CliRunner().invoke(main, ["effective", *args, "--format", "json"])
        finally:
            os.chdir(old)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    # The values ConfigMap alone: the release that reads it is what runs with it.
    shown = effective("clusters/prod/cache-01/values.yaml")
    assert [(t["path"], t["name"]) for t in shown["targets"]] == [("clusters/prod/cache-01/release.yaml",
                                                                   "team-1/cache-01")]
    # The release alone: its ConfigMap's maxmemory is applied, nothing is unresolved.
    target = effective("clusters/prod/cache-01/release.yaml")["targets"][0]
    assert target["config"]["maxmemory"]["path"] == "clusters/prod/cache-01/values.yaml"
    assert target["unresolved"] == []


def _write_many(args: tuple[str, int]) -> None:
    directory, seed = args
    for i in range(30):
        entries = {f"b{seed:02d}{j:038d}": [[f"name-{seed}-{j}"], [], []] for j in range(200 + i)}
        repo_index.save_cache([directory], entries)


def test_batches_writing_the_cache_at_once_leave_a_whole_file(tmp_path: Path) -> None:
    """Parallel pre-commit batches write the cache at the same moment: every write is a complete
    file renamed into place, so a reader finds one batch's whole cache, never a mixture or a part."""
    import multiprocessing

    directory = str(tmp_path / "cache")
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_write_many, [(directory, seed) for seed in range(4)])
    entries = repo_index.load_cache([directory])
    seeds = {key[1:3] for key in entries}
    assert len(seeds) == 1 and len(entries) == 229  # one writer's last, complete cache
    assert os.listdir(directory) == [repo_index.CACHE_NAME]  # no temporary file left behind
