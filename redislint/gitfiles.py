"""The files git shows in a work tree: tracked ones with their blob ids, and untracked ones it does not ignore.

A directory walk inside a repository keeps only these (`.gitignore` honoured), and the repository
index (`repo_index`) reads its context files from them. Git is asked once per run and work tree,
through `os.posix_spawnp` (importing `subprocess` alone is a measurable part of a one-file check:
bench/RESULTS.md).

Under pre-commit (`PRE_COMMIT=1` in the hook's environment) the repository is what the commit will
hold: git's index. Untracked files are no part of it (CI, checking out the commit, will not see
them), and tracked files in the work tree equal the index (pre-commit stashes unstaged changes), so
only `git ls-files -s` is asked: finding untracked and changed files costs a walk of the whole work
tree, most of what the index costs a one-file check.

Without git, or when git refuses the repository (not installed, "dubious ownership", a broken
index), every function here returns None and the callers say what they fell back to.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from redislint.repository import find_root


class Listing(NamedTuple):
    """What git shows of one work tree; paths are relative to `root`, with `/` separators."""

    root: str  # the work tree's top directory, symbolic links resolved
    blobs: dict[str, str]  # tracked path -> blob id in the index (what `git add` staged)
    changed: frozenset[str]  # tracked paths whose work-tree file differs from the index (or is gone)
    untracked: frozenset[str]  # untracked paths that .gitignore does not exclude

    def visible(self) -> set[str]:
        """Every path a walk of the work tree keeps: tracked, or untracked and not ignored."""
        return set(self.blobs) | set(self.untracked)


_LISTINGS: dict[str, Listing | None] = {}


def listing(start: str) -> Listing | None:
    """The listing of the work tree holding `start` (asked once per process and root); None outside git."""
    root = find_root(start)
    if root is None:
        return None
    if root not in _LISTINGS:
        _LISTINGS[root] = _ask(root)
    return _LISTINGS[root]


def forget() -> None:
    """Drop the listings asked for so far (a long-lived process, tests that change a work tree)."""
    _LISTINGS.clear()


def committed_view() -> bool:
    """True when the repository is what is being committed (under pre-commit): git's index only."""
    return os.environ.get("PRE_COMMIT") == "1"


def _ask(root: str) -> Listing | None:
    # One call: with -m and -o, `ls-files -s` lists untracked files as bare paths, and a tracked
    # file changed in the work tree (or deleted) twice, its second line from -m.
    args = ["ls-files", "-z", "-s"] if committed_view() else ["ls-files", "-z", "-s", "-m", "-o", "--exclude-standard"]
    out = _git_outputs(root, args)[0]
    if out is None:
        return None
    blobs: dict[str, str] = {}
    seen: set[bytes] = set()
    changed: set[str] = set()
    untracked: set[str] = set()
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path_bytes = entry.partition(b"\t")
        fields = meta.split(b" ")
        if len(fields) != 3 or not fields[0].isdigit() or not fields[2].isdigit():
            untracked.add(entry.decode("utf-8", "surrogateescape"))  # a bare path (its name may hold a tab)
            continue
        path = path_bytes.decode("utf-8", "surrogateescape")
        if entry in seen:
            changed.add(path)
            continue
        seen.add(entry)
        mode, blob, stage = fields
        # Symbolic links (120000) and submodules (160000) are left out: a walk does not find their
        # content under their own path either. In a merge conflict, our side (stage 2) counts.
        if mode in (b"100644", b"100755") and stage in (b"0", b"2"):
            blobs[path] = blob.decode("ascii")
    return Listing(root, blobs, frozenset(p for p in changed if p in blobs), frozenset(untracked))


# Hooks and fsmonitor are the ways a git command can start a program named in configuration:
# switched off for every git command redislint runs on a repository it is checking.
SAFE_GIT_OPTIONS = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")


def _git_outputs(cwd: str, *commands: list[str]) -> list[bytes | None]:
    """The output of each `git -C cwd COMMAND`, run in parallel; None for one that failed."""
    argv = [["git", "-C", cwd, *SAFE_GIT_OPTIONS, *args] for args in commands]
    if not hasattr(os, "posix_spawnp"):  # Windows
        import subprocess  # noqa: PLC0415 - subprocess only where posix_spawnp is missing (Windows)

        out: list[bytes | None] = []
        for a in argv:
            try:
                out.append(subprocess.run(a, capture_output=True, check=True, timeout=120).stdout)
            except (OSError, subprocess.SubprocessError):
                out.append(None)
        return out
    children = [_spawn(a) for a in argv]
    return [_collect(c) for c in children]


def _spawn(argv: list[str]) -> tuple[int, int, int] | None:
    """Start `argv` with its output and errors on pipes and an empty input (no device is opened):
    (pid, output read end, errors read end); None when it cannot be started."""
    fds: list[int] = []
    try:
        in_read, in_write = os.pipe()
        fds += [in_read, in_write]
        out_read, out_write = os.pipe()
        fds += [out_read, out_write]
        err_read, err_write = os.pipe()
        fds += [err_read, err_write]
        os.close(in_write)  # git reads nothing: end of input at once
        pid = os.posix_spawnp(argv[0], argv, _git_env(), file_actions=[
            (os.POSIX_SPAWN_DUP2, in_read, 0), (os.POSIX_SPAWN_DUP2, out_write, 1),
            (os.POSIX_SPAWN_DUP2, err_write, 2), (os.POSIX_SPAWN_CLOSE, out_read),
            (os.POSIX_SPAWN_CLOSE, err_read)])
    except OSError:  # no git on PATH, no descriptors left
        for fd in fds:
            _close(fd)
        return None
    for fd in (in_read, out_write, err_write):
        _close(fd)
    return pid, out_read, err_read


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _collect(child: tuple[int, int, int] | None) -> bytes | None:
    """A started child's whole output, or None when it could not start or failed."""
    if child is None:
        return None
    pid, out_fd, err_fd = child
    output = _drain(out_fd)
    _drain(err_fd)  # git's messages are short; a failure is told by the exit status
    try:
        _, status = os.waitpid(pid, 0)
    except OSError:
        return None
    return output if output is not None and os.waitstatus_to_exitcode(status) == 0 else None


def _drain(fd: int) -> bytes | None:
    chunks = []
    try:
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        _close(fd)
    return b"".join(chunks)


def _git_env() -> dict[str, str]:
    # Hooks run with GIT_INDEX_FILE set (a partial commit's temporary index): it is kept, as it is
    # what is being committed. Git must never page, prompt or take optional locks.
    env = dict(os.environ)
    env.update({"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    return env
