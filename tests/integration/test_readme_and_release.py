"""What the README and docs promise: a sample that is what the tool prints, pins that exist as a
release of this version, one repository name, a set-up that works on a fresh machine, the hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "docs" / "examples").glob("*"))]


def _version() -> str:
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def test_readme_sample_is_a_real_run() -> None:
    from redislint.commands.readme import SAMPLE_END, SAMPLE_START, sample_output

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(SAMPLE_START, 1)[1].split(SAMPLE_END, 1)[0]
    assert block == sample_output(ROOT), "run: python -m redislint.commands.readme to refresh the README sample"
    # And the generator's run is the command line's: its first finding is the real first finding.
    run = subprocess.run([sys.executable, "-m", "redislint", "check", "examples/helmrelease.yaml", "--profile",
                          "critical", "--format", "concise"], cwd=ROOT, capture_output=True, text=True)
    first = run.stdout.splitlines()[0].split(" ", 3)
    assert f"{first[0]} {first[1]} {first[2]}" in block


def test_documented_pins_name_this_version_and_one_repository() -> None:
    tag = "v" + _version()
    repo = re.search(r'Homepage = "https://github.com/([\w.-]+/[\w.-]+)"', (ROOT / "pyproject.toml").read_text())[1]
    assert repo == "redislint/redislint"
    revs, uses, links = [], [], []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        revs += [(path.name, m[1], m[2]) for m in re.finditer(r"repo: https://github\.com/(\S+)\s*\n\s*rev: (\S+)", text)]
        uses += [(path.name, m[1], m[2]) for m in re.finditer(r"uses: ([\w.-]+/redislint)@([\w.<>-]+)", text)]
        links += [(path.name, m[1]) for m in re.finditer(r"github\.com/([\w.-]+/redislint)\b", text)]
    assert revs and uses and links
    assert [r for r in revs if r[1] != repo or r[2] != tag] == []
    assert [u for u in uses if u[1] != repo or (u[2] != tag and u[2] != "<sha>")] == []
    assert [link for link in links if link[1] != repo] == []
    assert not any("OWNER/" in p.read_text(encoding="utf-8") for p in DOCS)


def test_release_script_agrees_with_the_pins() -> None:
    run = subprocess.run([sys.executable, "scripts/release.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"v{_version()}" in run.stdout


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_release_script_tags_once_and_never_moves_a_tag(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "r"
    (repo / "scripts").mkdir(parents=True)
    (repo / "docs" / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "release.py", repo / "scripts")
    shutil.copy(ROOT / "pyproject.toml", repo)
    tag = "v" + _version()
    (repo / "README.md").write_text(f"    - repo: https://github.com/redislint/redislint\n      rev: {tag}\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")

    def release() -> subprocess.CompletedProcess:
        env = {**os.environ, "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
        return subprocess.run([sys.executable, "scripts/release.py"], cwd=repo, capture_output=True, text=True,
                              env=env)

    first = release()
    assert first.returncode == 0, first.stderr
    assert _git(repo, "tag", "--list").stdout.split() == [tag]
    assert _git(repo, "cat-file", "-t", tag).stdout.strip() == "tag"  # annotated
    assert "already tags HEAD" in release().stdout
    (repo / "README.md").write_text((repo / "README.md").read_text() + "more\n")
    dirty = release()
    assert dirty.returncode == 1 and "uncommitted" in dirty.stderr
    _git(repo, "commit", "-qam", "two")
    moved = release()
    assert moved.returncode == 1 and "never moved" in moved.stderr
    # A pin that names another version stops the release before anything is tagged.
    (repo / "README.md").write_text("    - repo: https://github.com/redislint/redislint\n      rev: v9.9.9\n")
    _git(repo, "commit", "-qam", "three")
    wrong = release()
    assert wrong.returncode == 1 and "v9.9.9" in wrong.stderr


def test_readme_set_up_uses_a_virtualenv_like_ci() -> None:
    """A fresh Debian/Ubuntu refuses `pip install` outside a virtualenv: the README's first command
    makes one, and .ci/run (which runs the README's test command) makes the same when pip refuses."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.*?)\n```", readme, re.S)[1]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && python -m pip install .")
    assert "python3-venv" in readme.split("```sh", 1)[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "EXTERNALLY-MANAGED" in ci and "python3 -m venv .venv" in ci and "python3-venv" in ci
    assert ".venv/" in (ROOT / ".gitignore").read_text().split()


def test_fix_has_its_own_pre_commit_hook() -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["redislint"]["entry"] == "redislint check"
    assert hooks["redislint-fix"]["entry"] == "redislint fix"
    assert hooks["redislint-fix"]["files"] == hooks["redislint"]["files"]
    if shutil.which("pre-commit"):
        run = subprocess.run(["pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
