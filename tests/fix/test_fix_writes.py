"""`redislint fix` never destroys a file: atomic writes, kept permissions, no writes through links out of the repository."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from .helpers import cli, process

BROKEN = "appendonly yes # durable\n" + "# padding so the fixed file is larger than the limit\n" * 100
FIXED = "# durable\nappendonly yes\n" + "# padding so the fixed file is larger than the limit\n" * 100


def repo(tmp_path: Path) -> Path:
    """A directory that is the root of a git repository (find_root looks for `.git`)."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if "redislint-tmp" in p.name)


def test_a_file_size_limit_leaves_the_original_intact_and_exits_2(tmp_path: Path) -> None:
    """`ulimit -f`: the write fails with EFBIG (Python ignores SIGXFSZ); the old fix left the file truncated."""
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    limit = len(BROKEN) // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = process("fix", str(path), preexec_fn=small_files)
    assert proc.returncode == 2, proc
    assert "cannot write" in proc.stderr and "the file was left as it was" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert path.read_text() == BROKEN
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_original_intact_and_exits_2(tmp_path: Path) -> None:
    """ENOSPC on a real, tiny tmpfs, mounted in a private mount namespace of the test's own process."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = ('mount -t tmpfs -o size=8k tmpfs "$1" && python3 -c "open(\'$1/redis.conf\', \'w\')'
              '.write(open(\'$2\').read())" && cd "$1" && "$3" -m redislint fix redis.conf; echo "rc=$?"; '
              'cat redis.conf; ls -a')
    source = tmp_path / "source.conf"
    source.write_text("appendonly yes # durable\n" + "# pad\n" * 1300)  # 7.8 kB of 8 kB: no room for a copy
    import sys

    proc = subprocess.run([unshare, "--mount", "--map-root-user", "sh", "-c", script, "sh", str(disk), str(source),
                           sys.executable], capture_output=True, text=True, timeout=120)
    if "mount" in proc.stderr and "rc=" not in proc.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    assert "rc=2" in proc.stdout, proc
    assert "No space left on device; the file was left as it was" in proc.stderr
    after = proc.stdout.split("rc=2\n", 1)[1]
    assert after.startswith(source.read_text()), after[:200]
    assert "redislint-tmp" not in after


def test_an_error_at_fsync_leaves_the_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems (NFS, delayed allocation) report ENOSPC only at fsync."""
    from redislint import filewrite

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(filewrite.os, "fsync", full)
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    result = cli("fix", str(path))
    assert result.exit_code == 2
    assert f"cannot write {path}: No space left on device; the file was left as it was" in result.stderr
    assert path.read_text() == BROKEN
    assert leftovers(tmp_path) == []


def test_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    path.chmod(0o640)
    assert cli("fix", str(path)).exit_code == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_and_group_are_kept_when_root(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    os.chown(path, 4321, 8765)
    path.chmod(0o2640)
    assert cli("fix", str(path)).exit_code == 0
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 8765, 0o2640)
    assert path.read_text() == FIXED


def test_the_file_is_replaced_not_rewritten_in_place(tmp_path: Path) -> None:
    """A reader holding the old file keeps the old text: the new one arrives by rename."""
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    with open(path) as held:
        before = os.fstat(held.fileno()).st_ino
        assert cli("fix", str(path)).exit_code == 0
        assert held.read() == BROKEN
    assert path.stat().st_ino != before
    assert leftovers(tmp_path) == []


def test_a_link_out_of_the_repository_is_never_written(tmp_path: Path) -> None:
    root = repo(tmp_path)
    outside = tmp_path / "outside.conf"
    outside.write_text(BROKEN)
    (root / "redis.conf").symlink_to(outside)
    result = cli("fix", "redis.conf", cwd=root)
    assert result.exit_code == 0
    assert "redis.conf: not written: a symbolic link to a file outside the repository" in result.stderr
    assert outside.read_text() == BROKEN
    assert (root / "redis.conf").is_symlink()


def test_a_link_into_another_repository_is_never_written(tmp_path: Path) -> None:
    root = repo(tmp_path)
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "redis.conf").write_text(BROKEN)
    (root / "conf").symlink_to(other)  # a linked directory
    result = cli("fix", "conf/redis.conf", cwd=root)
    assert "not written: a symbolic link to a file outside the repository" in result.stderr
    assert (other / "redis.conf").read_text() == BROKEN


def test_a_link_inside_the_repository_writes_its_target(tmp_path: Path) -> None:
    """Decided: a link to a file of the same repository fixes that file; the link stays a link."""
    root = repo(tmp_path)
    (root / "base").mkdir()
    (root / "base" / "redis.conf").write_text(BROKEN)
    (root / "redis.conf").symlink_to(Path("base") / "redis.conf")
    assert cli("fix", "redis.conf", cwd=root).exit_code == 0
    assert (root / "redis.conf").is_symlink()
    assert (root / "base" / "redis.conf").read_text() == FIXED


def test_no_links_are_followed_outside_a_repository(tmp_path: Path) -> None:
    target = tmp_path / "real.conf"
    target.write_text(BROKEN)
    (tmp_path / "link.conf").symlink_to(target)
    result = cli("fix", "link.conf", cwd=tmp_path)
    assert "link.conf: not written: reached through a symbolic link, and the command does not run inside a git " \
           "repository" in result.stderr
    assert target.read_text() == BROKEN
    assert cli("fix", "real.conf", cwd=tmp_path).exit_code == 0  # the file itself, named by the user
    assert target.read_text() == FIXED


def test_nothing_inside_git_is_written(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (root / ".git" / "hooks").mkdir()
    hook = root / ".git" / "hooks" / "redis.conf"
    hook.write_text(BROKEN)
    (root / "redis.conf").symlink_to(hook)
    result = cli("fix", "redis.conf", cwd=root)
    assert "not written: lies inside a .git directory" in result.stderr
    assert hook.read_text() == BROKEN


def test_a_file_changed_while_fixing_is_left_as_it_is_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redislint import filewrite

    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    real_destination = filewrite.write_destination

    def edited_meanwhile(p: str, root: str | None) -> str:
        path.write_text("appendonly no # someone else's edit\n")
        return real_destination(p, root)

    monkeypatch.setattr(filewrite, "write_destination", edited_meanwhile)
    result = cli("fix", str(path))
    assert result.exit_code == 2
    assert "changed while redislint was fixing it" in result.stderr
    assert path.read_text() == "appendonly no # someone else's edit\n"


def test_a_read_only_file_is_not_written(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file")
    path = tmp_path / "redis.conf"
    path.write_text(BROKEN)
    path.chmod(0o444)
    result = cli("fix", str(path))
    assert "not written: the file is not writable" in result.stderr
    assert path.read_text() == BROKEN
