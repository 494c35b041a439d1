"""A config file found in a repository is read only when it is a regular file inside that repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.robustness.conftest import invoke

SECRET_KEY = "planted_outside_key_7f3a"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "redis.conf").write_text('save ""\nappendonly no\n')
    return repo


def test_a_config_linked_to_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (tmp_path / "outside.yaml").write_text(f"{SECRET_KEY}: 1\n")
    (repo / ".redislint.yaml").symlink_to(tmp_path / "outside.yaml")
    run = invoke("check", "redis.conf", cwd=repo)
    assert run.exit_code == 2
    assert "symbolic link to outside the repository" in run.stderr
    assert SECRET_KEY not in run.output


def test_a_config_link_inside_the_repository_is_read(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "conf").mkdir()
    (repo / "conf" / "redislint.yaml").write_text("profile: ephemeral\n")
    (repo / ".redislint.yaml").symlink_to(repo / "conf" / "redislint.yaml")
    run = invoke("check", "redis.conf", "--format", "json", cwd=repo)
    assert run.exit_code in (0, 1), run.output
    assert '"profile": "ephemeral"' in run.stdout


def test_a_named_pipe_given_as_config_is_refused_without_blocking(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    os.mkfifo(repo / "pipe.yaml")
    run = invoke("check", "redis.conf", "--config", "pipe.yaml", cwd=repo)
    assert run.exit_code == 2
    assert "not a regular file (a named pipe)" in run.stderr


def test_an_oversized_config_is_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".redislint.yaml").write_text("# x\n" * 300_000)
    run = invoke("check", "redis.conf", cwd=repo)
    assert run.exit_code == 2
    assert "larger than 1024 KiB" in run.stderr
