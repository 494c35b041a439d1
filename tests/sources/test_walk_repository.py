"""A directory walk inside a repository: .gitignore honoured, other people's code and chart templates skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from redislint import gitfiles
from redislint.inputs import read_inputs
from redislint.model import Notification
from redislint.sources import iter_input_files

HR = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  redis.conf: |\n    appendonly no\n    save ''\n"
TEMPLATE = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n"
            "{{- if .Values.enabled }}\n  redis.conf: |\n    appendonly yes\n{{- end }}\n")


def git(cwd: Path, *args: str) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def put(path: Path, text: str = HR) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def walked(top: Path) -> list[str]:
    gitfiles.forget()
    return sorted(os.path.relpath(p, top) for p in iter_input_files([str(top)]) if isinstance(p, str))


def notes(top: Path) -> list[Notification]:
    gitfiles.forget()
    return [n for n in iter_input_files([str(top)]) if isinstance(n, Notification)]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    put(root / ".gitignore", "build/\n*.local.yaml\n")
    put(root / "apps" / "redis.yaml")
    put(root / "apps" / "override.local.yaml")  # ignored by pattern
    put(root / "build" / "rendered.yaml")  # ignored directory
    put(root / "node_modules" / "pkg" / "config.yaml")
    put(root / "vendor" / "mod" / "redis.conf", "appendonly no\n")
    put(root / "untracked" / "new.yaml")  # untracked but not ignored: a walk keeps it
    git(root, "add", ".gitignore", "apps/redis.yaml")
    return root


def test_a_walk_keeps_what_git_shows_and_skips_other_peoples_code(repo: Path) -> None:
    assert walked(repo) == ["apps/redis.yaml", "untracked/new.yaml"]
    assert walked(repo / "apps") == ["redis.yaml"]


def test_a_tracked_file_counts_even_when_a_pattern_would_ignore_it(repo: Path) -> None:
    git(repo, "add", "-f", "build/rendered.yaml")
    assert walked(repo) == ["apps/redis.yaml", "build/rendered.yaml", "untracked/new.yaml"]


def test_a_path_named_explicitly_is_checked_even_when_ignored(repo: Path) -> None:
    gitfiles.forget()
    named = [str(repo / "build" / "rendered.yaml"), str(repo / "vendor" / "mod" / "redis.conf")]
    assert list(iter_input_files(named)) == named


def test_without_git_only_hidden_entries_and_other_peoples_code_are_skipped(tmp_path: Path) -> None:
    put(tmp_path / "plain" / "a.yaml")
    put(tmp_path / "plain" / "build" / "b.yaml")
    put(tmp_path / "plain" / "node_modules" / "c.yaml")
    put(tmp_path / "plain" / ".hidden" / "d.yaml")
    assert walked(tmp_path / "plain") == ["a.yaml", "build/b.yaml"]


def test_when_git_cannot_list_the_repository_the_walk_says_so(repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # git cannot be started
    found = notes(repo)
    assert [n.level for n in found] == ["warning"] and ".gitignore is not honoured" in found[0].message
    assert "build/rendered.yaml" in walked(repo)  # nothing is lost: every file is walked instead


def test_chart_templates_are_skipped_with_one_note(tmp_path: Path) -> None:
    chart = tmp_path / "charts" / "cache"
    put(chart / "Chart.yaml", "apiVersion: v2\nname: cache\nversion: 1.0.0\n")
    put(chart / "values.yaml", "architecture: standalone\n")
    put(chart / "templates" / "configmap.yaml", TEMPLATE)
    put(chart / "templates" / "sub" / "more.yaml", TEMPLATE)
    put(tmp_path / "manifests" / "templates" / "plain.yaml")  # no Chart.yaml beside it: checked
    files = walked(tmp_path)
    assert files == ["charts/cache/Chart.yaml", "charts/cache/values.yaml", "manifests/templates/plain.yaml"]
    found = notes(tmp_path)
    assert [(os.path.relpath(n.path, tmp_path), n.level) for n in found] == [("charts/cache/templates", "note")]


def test_a_template_named_on_the_command_line_is_a_note_never_rl001(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    put(chart / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n")
    put(chart / "templates" / "deep" / "cm.yaml", "a: b\n")  # valid YAML, but a template by its place
    put(tmp_path / "loose.yaml", TEMPLATE)  # a template by its text
    put(tmp_path / "alerts.yaml", "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\ndata:\n  t.tmpl: |\n"
                                  "    {{ define \"slack\" }}x{{ end }}\n")  # templates inside a block scalar: YAML
    put(tmp_path / "broken.yaml", "a: [\n")  # broken YAML without templates stays RL001
    read = read_inputs([str(chart / "templates" / "deep" / "cm.yaml"), str(tmp_path / "loose.yaml"),
                        str(tmp_path / "alerts.yaml"), str(tmp_path / "broken.yaml")])
    assert [os.path.basename(f.path) for f in read.files] == ["alerts.yaml", "broken.yaml"]
    assert [(os.path.basename(n.path), n.level) for n in read.notifications] == [("cm.yaml", "note"),
                                                                                 ("loose.yaml", "note")]
    assert all("Helm chart template" in n.message for n in read.notifications)
