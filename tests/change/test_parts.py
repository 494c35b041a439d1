"""The pieces of `check --base`: changed lines, target pairing, rename detection, the RDB format table."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.change.gitrepo import git, make_repo

from redislint.change.git import open_base
from redislint.change.review import changed_lines
from redislint.change.tree import base_files
from redislint.inputs import read_inputs
from redislint.redisconf import RedisVersion
from redislint.rules.rl214_rdb_format_downgrade import loads, rdb_format


def test_changed_lines_are_the_lines_of_the_new_text() -> None:
    assert changed_lines(None, "a\nb\n") == {1, 2, 3}
    assert changed_lines("a\nb\nc\n", "a\nB\nc\n") == {2}
    assert changed_lines("a\nc\n", "a\nb\nc\n") == {2}
    assert changed_lines("a\nb\nc\n", "a\nc\n") == {2}  # removed: the line now in its place
    assert changed_lines("same\n", "same\n") == frozenset()


@pytest.mark.parametrize("version,fmt", [
    (("redis", 6, 2), 9), (("redis", 7, 0), 10), (("redis", 7, 2), 11), (("redis", 7, 4), 12),
    (("redis", 8, 4), 12), (("redis", 8, 6), 13), (("redis", 8, 10), 15), (("redis", 9, 0), None),
    (("valkey", 7, 2), 11), (("valkey", 8, 1), 11), (("valkey", 9, 0), 80), (("valkey", 9, 1), 80),
])
def test_rdb_formats(version: tuple, fmt: int | None) -> None:
    assert rdb_format(RedisVersion(*version)) == fmt


def test_who_loads_what() -> None:
    redis72, redis74 = RedisVersion("redis", 7, 2), RedisVersion("redis", 7, 4)
    valkey8, valkey9 = RedisVersion("valkey", 8, 0), RedisVersion("valkey", 9, 0)
    assert loads(redis74, 11, redis72) and not loads(redis72, 12, redis74)
    assert loads(valkey8, 11, redis72) and not loads(valkey8, 12, redis74) and not loads(valkey9, 12, redis74)
    assert loads(redis72, 11, valkey8)  # Valkey 7.2-8.1 write Redis 7.2's format
    assert not loads(RedisVersion("redis", 8, 10), 80, valkey9)  # a VALKEY header Redis never reads
    assert loads(valkey9, 80, valkey9) and not loads(valkey8, 80, valkey9)


def _base(repo: Path, paths: list[str]):
    read = read_inputs([str(repo / p) for p in paths])
    return read, base_files(read, [str(repo / p) for p in paths], open_base(str(repo.resolve()), "base"))


def test_a_moved_and_edited_file_is_found_by_its_content(tmp_path: Path) -> None:
    text = "".join(f"key{i}: value {i}\n" for i in range(20))
    repo = make_repo(tmp_path, {"old/values.yaml": text, "other.yaml": "a: 1\n"})
    (repo / "new").mkdir()
    (repo / "old" / "values.yaml").rename(repo / "new" / "values.yaml")
    (repo / "new" / "values.yaml").write_text(text.replace("value 3", "value three"))
    read, found = _base(repo, ["."])
    shown = {Path(p).relative_to(repo.resolve()).as_posix() if Path(p).is_absolute() else p: v
             for p, v in found.renamed.items()}
    assert list(shown.values()) == ["old/values.yaml"]
    new_path = next(iter(found.renamed))
    assert found.texts[new_path] == text and new_path in found.changed


def test_a_new_file_unlike_any_removed_one_is_new(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.yaml": "x: 1\ny: 2\n"}, {"a.yaml": None, "b.yaml": "z: 3\nw: 4\n"})
    read, found = _base(repo, ["."])
    assert found.renamed == {}
    assert [Path(p).name for p in found.deleted] == ["a.yaml"]
    assert [Path(p).name for p in found.changed] == ["b.yaml"]


def test_unchanged_files_are_not_changed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a.yaml": "x: 1\n", "b.conf": "save 900 1\n"}, {"b.conf": "save 60 1\n"})
    read, found = _base(repo, ["."])
    assert [Path(p).name for p in found.changed] == ["b.conf"]
    assert found.read.texts[next(p for p in found.read.texts if p.endswith("b.conf"))] == "save 900 1\n"


def test_a_binary_base_is_a_note_not_a_crash(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.conf": "save 900 1\n"})
    (repo / "redis.conf").write_bytes(b"\x00\x01")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "binary")
    git(repo, "tag", "binary")
    (repo / "redis.conf").write_text("save 900 1\n")
    read = read_inputs([str(repo / "redis.conf")])
    found = base_files(read, [str(repo / "redis.conf")], open_base(str(repo.resolve()), "binary"))
    assert [n.level for n in found.notes] == ["warning"] and "at the base revision: binary file" in found.notes[0].message
    assert found.changed == {str(repo / "redis.conf")}
