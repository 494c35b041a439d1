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

pytestmark = pytest.mark.integration  # real pre-commit and the Action's shell steps



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


def _action_env(tmp_path: Path, **inputs: str) -> tuple[dict[str, str], Path, Path]:
    """The environment the composite action gives its run step, with this interpreter's redislint."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    shim = bindir / "redislint"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m redislint \"$@\"\n")
    shim.chmod(0o755)
    outputs, summary = tmp_path / "github_output", tmp_path / "step_summary"
    outputs.write_text("")
    summary.write_text("")
    env = {**os.environ, "REDISLINT": str(shim), "REDISLINT_VENV": str(tmp_path / "venv"),
           "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp_path),
           "INPUT_PATHS": "deploy", "INPUT_PROFILE": "critical", "INPUT_FAIL_ON": "error",
           "INPUT_SARIF_FILE": "redislint.sarif", "INPUT_ANNOTATIONS": "true", "INPUT_SUMMARY": "true",
           "INPUT_CATEGORY": "redislint-prod", "INPUT_ARGS": ""}
    env.update(inputs)
    return env, outputs, summary


def _run_step(work: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / "action-run.sh")], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)


def test_action_steps_produce_sarif_annotations_and_summary_from_one_run(tmp_path: Path) -> None:
    _need("bash")
    sys.path.insert(0, str(ROOT / "tests" / "output"))
    from sarif_validation import multitool_problems, schema_errors

    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work / "deploy")
    (work / "redislint.sarif").write_text("stale")  # left by an earlier step: must not survive
    env, outputs, summary = _action_env(tmp_path)
    proc = _run_step(work, env)
    assert proc.returncode == 1, proc.stderr  # the example has errors under critical
    sarif_text = (work / "redislint.sarif").read_text()
    sarif = json.loads(sarif_text)
    assert schema_errors(sarif) == []
    assert multitool_problems(work / "redislint.sarif", tmp_path) == []
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == "redislint-prod/"
    results = run["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("deploy/")
                           for r in results)
    # The annotations, the summary and the SARIF come from the same analysis: the same findings.
    annotated = [line for line in proc.stdout.splitlines() if line.startswith(("::error ", "::warning ", "::notice "))
                 and "file=deploy/" in line]
    assert "::error file=deploy/helmrelease.yaml" in proc.stdout
    errors = sum(1 for r in results if r["level"] == "error")
    assert len([a for a in annotated if a.startswith("::error ")]) == min(errors, 10)
    text = summary.read_text()
    assert text.startswith("## redislint") and f"| 🔴 error | {errors} |" in text
    got = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert got == {"sarif-file": "redislint.sarif", "exit-code": "1", "category": "redislint-prod"}
    assert not list(tmp_path.glob("redislint-summary.*"))  # the temporary summary is removed


def test_action_says_why_there_is_nothing_to_upload(tmp_path: Path) -> None:
    """redislint stopped before writing SARIF (a profile that does not exist): no stale file is left
    for the upload step, the log says so, and no sarif-file output is set."""
    _need("bash")
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work / "deploy")
    (work / "redislint.sarif").write_text("{}")
    env, outputs, summary = _action_env(tmp_path, INPUT_PROFILE="no-such-profile")
    proc = _run_step(work, env)
    assert proc.returncode == 2
    assert not (work / "redislint.sarif").exists()
    assert "::error title=redislint::redislint stopped before writing the SARIF report" in proc.stdout
    assert "no-such-profile" in proc.stderr
    got = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert "sarif-file" not in got and got["exit-code"] == "2"


def test_action_without_annotations_or_summary_prints_text(tmp_path: Path) -> None:
    _need("bash")
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work / "deploy")
    env, outputs, summary = _action_env(tmp_path, INPUT_ANNOTATIONS="false", INPUT_SUMMARY="false",
                                        INPUT_FAIL_ON="never", INPUT_ARGS="--select RL013")
    proc = _run_step(work, env)
    assert proc.returncode == 0, proc.stderr
    assert "::error" not in proc.stdout and "RL013 trailing-comment" in proc.stdout
    assert summary.read_text() == ""
    assert {r["ruleId"] for r in json.loads((work / "redislint.sarif").read_text())["runs"][0]["results"]} == {"RL013"}


def test_action_install_step_installs_the_checkout_pinned_and_reuses_it(tmp_path: Path) -> None:
    """The install step as the runner runs it: a virtualenv with redislint from this checkout and the
    pinned dependency versions; a second run (a restored cache) reuses it."""
    _need("bash")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update({"REDISLINT_VENV": str(tmp_path / "venv"), "GITHUB_PATH": str(tmp_path / "path"),
                "INPUT_PYTHON": sys.executable, "ACTION_PATH": str(ROOT)})
    key = subprocess.run(["bash", str(ROOT / "scripts" / "action-install.sh"), "--key"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert key.returncode == 0, key.stderr
    keys = dict(line.split("=", 1) for line in key.stdout.splitlines())
    from redislint import __version__

    assert keys["key"].startswith(f"redislint-{__version__}-") and keys["venv"] == str(tmp_path / "venv")
    first = subprocess.run(["bash", str(ROOT / "scripts" / "action-install.sh")], env=env,
                           capture_output=True, text=True, timeout=900)
    if first.returncode != 0 and "pip" in first.stderr and os.environ.get("CI") != "true":
        pytest.skip(f"pip could not install here: {first.stderr[-300:]}")
    assert first.returncode == 0, first.stdout + first.stderr
    venv_bin = tmp_path / "venv" / "bin"
    version = subprocess.run([str(venv_bin / "redislint"), "--version"], capture_output=True, text=True)
    assert __version__ in version.stdout
    pins = dict(line.split("==") for line in (ROOT / "scripts" / "action-constraints.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    frozen = subprocess.run([str(venv_bin / "python"), "-m", "pip", "list", "--format=json"], capture_output=True,
                            text=True).stdout
    installed = {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(frozen)}
    for name, pinned in pins.items():
        if name in installed:
            assert installed[name] == pinned, name
    assert installed["ruamel.yaml"] == pins["ruamel.yaml"]
    assert (tmp_path / "path").read_text().strip() == str(venv_bin)
    again = subprocess.run(["bash", str(ROOT / "scripts" / "action-install.sh")], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "reusing the cached install" in again.stdout


def test_action_yml_wires_the_scripts_and_pins_actions_by_sha() -> None:
    import re

    import yaml  # pre-commit's dependency, a test dependency

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w-]+/[\w/-]+@[0-9a-f]{40}", u) for u in uses), uses
    run_env = next(s for s in steps if s.get("id") == "run")["env"]
    for name in action["inputs"]:
        if name not in ("python", "cache"):
            assert f"INPUT_{name.upper().replace('-', '_')}" in run_env, name
    workflow = (ROOT / "docs" / "examples" / "redislint-workflow.yml").read_text()
    third_party = re.findall(r"uses: ((?!redislint/)[\w-]+/[\w/-]+)@(\S+)(?: # (v\S+))?", workflow)
    assert third_party and all(re.fullmatch(r"[0-9a-f]{40}", sha) and version for _, sha, version in third_party)
    assert any(name == "github/codeql-action/upload-sarif" and version.startswith("v4")
               for name, _, version in third_party)
    parsed = yaml.safe_load(workflow)
    permissions = parsed["jobs"]["redislint"]["permissions"]
    assert permissions == {"contents": "read", "security-events": "write", "actions": "read"}


def test_action_reviews_the_change_since_base(tmp_path: Path) -> None:
    """`base:` passes --base: the transition that empties the data set on rollout is in the SARIF."""
    _need("bash")
    _need("git")
    work = tmp_path / "repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "redis.conf").write_text("appendonly no\nsave 900 1\n")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "before")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True).stdout.strip()
    (work / "redis.conf").write_text("appendonly yes\nsave 900 1\n")
    _git(work, "commit", "-qam", "switch AOF on")
    env, outputs, _summary = _action_env(tmp_path, INPUT_PATHS="redis.conf", INPUT_PROFILE="", INPUT_BASE=base)
    proc = _run_step(work, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rules = {r["ruleId"] for r in json.loads((work / "redislint.sarif").read_text())["runs"][0]["results"]}
    assert "RL212" in rules
    env, _, _ = _action_env(tmp_path, INPUT_PATHS="redis.conf", INPUT_PROFILE="")
    without = _run_step(work, env)
    # No RL212 result (rule help texts of other rules may name it).
    results = json.loads((work / "redislint.sarif").read_text())["runs"][0]["results"]
    assert "RL212" not in {r["ruleId"] for r in results}, without.stderr
