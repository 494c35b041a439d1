"""The repository root finder and the inside-the-repository test that confine repository-named paths."""

from __future__ import annotations

from pathlib import Path

from redislint.repository import find_root, is_inside


def test_find_root_walks_up_to_the_git_directory(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    deep = tmp_path / "repo" / "apps" / "redis"
    deep.mkdir(parents=True)
    (deep / "release.yaml").write_text("kind: HelmRelease\n")
    assert find_root(str(deep / "release.yaml")) == str((tmp_path / "repo").resolve())
    assert find_root(str(deep)) == str((tmp_path / "repo").resolve())


def test_find_root_accepts_a_git_file_as_worktrees_have(tmp_path: Path) -> None:
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text("gitdir: /elsewhere\n")
    assert find_root(str(tmp_path / "wt")) == str((tmp_path / "wt").resolve())


def test_find_root_is_none_outside_any_repository(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    # The temporary directory may itself sit in a repository on some machines: no root is invented below it.
    assert find_root(str(tmp_path / "plain")) == find_root(str(tmp_path))
    assert find_root(str(tmp_path / "plain")) != str((tmp_path / "plain").resolve())


def test_is_inside_resolves_symbolic_links_out_of_the_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "policies" / "mine.yaml").write_text("name: mine\n")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (repo / "link.yaml").symlink_to(outside)
    assert is_inside(str(repo / "policies" / "mine.yaml"), str(repo))
    assert is_inside(str(repo), str(repo))
    assert not is_inside(str(repo / "link.yaml"), str(repo))
    assert not is_inside(str(repo / ".." / "secret.txt"), str(repo))
    assert not is_inside(str(tmp_path / "repo-other" / "x"), str(repo))
