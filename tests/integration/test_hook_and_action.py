"""Where redislint runs in practice: a real pre-commit run, and the composite action's steps as shell."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is required in CI but is not installed")
        pytest.skip(f"{tool} is not installed")
    return path


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def test_pre_commit_try_repo_fails_bad_and_passes_good(tmp_path: Path) -> None:
    pre_commit = _need("pre-commit")
    _need("git")
    repo = tmp_path / "work"
    repo.mkdir()
    _git(repo, "init", "-q")
    shutil.copy(EXAMPLES / "helmrelease.yaml", repo / "bad.yaml")
    shutil.copy(EXAMPLES / "helmrelease-fixed.yaml", repo / "good.yaml")
    (repo / "notes.yaml").write_text("kind: Something\nspec: {}\n")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([pre_commit, "try-repo", str(ROOT), "redislint", "--verbose", "--files", *files,
                               "--hook-stage", "pre-commit"],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=600)

    bad = run("bad.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "RL013" in bad.stdout
    good = run("good.yaml", "notes.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    # The hook never writes report files into the repository.
    assert sorted(p.name for p in repo.iterdir() if not p.name.startswith(".")) == ["bad.yaml", "good.yaml",
                                                                                      "notes.yaml"]


def test_action_steps_produce_sarif(tmp_path: Path) -> None:
    _need("bash")
    venv = tmp_path / "venv"
    # Reuse this interpreter's install instead of building a venv (the install step is plain pip).
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "redislint"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m redislint \"$@\"\n")
    shim.chmod(0o755)
    outputs = tmp_path / "github_output"
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work / "deploy")
    env = {**os.environ, "REDISLINT": str(shim), "REDISLINT_VENV": str(venv), "GITHUB_OUTPUT": str(outputs),
           "INPUT_PATHS": "deploy", "INPUT_PROFILE": "critical", "INPUT_FAIL_ON": "error",
           "INPUT_SARIF_FILE": "redislint.sarif", "INPUT_ANNOTATIONS": "true"}
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "action-run.sh")], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # the example has errors under critical
    sarif = json.loads((work / "redislint.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("deploy/")
                           for r in results)
    assert "::error file=deploy/helmrelease.yaml" in proc.stdout
    assert "exit-code=1" in outputs.read_text() and "sarif-file=redislint.sarif" in outputs.read_text()
