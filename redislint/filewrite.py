"""Rewrite a file safely: a temporary file beside it, fsync, rename; mode and owner kept; never outside the repository.

`redislint fix` runs on pull requests and in pre-commit, where the files (and symbolic links among
them) come from someone else. A write either replaces the whole file or leaves it exactly as it was
(a full disk or a file-size limit fails before the rename), and never lands outside the repository
the command runs in, nor inside a `.git` directory.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from redislint.repository import find_root, is_inside


class WriteRefused(Exception):
    """This file may not be rewritten; the message says why (a skip, not an I/O error)."""


def write_destination(path: str, root: str | None) -> str:
    """The real file that rewriting `path` changes, after the checks; WriteRefused when it may not be.

    `root` is the repository the command runs in (None outside git). A path that involves a
    symbolic link is written only when the file it resolves to lies inside `root`: then the link's
    target is rewritten and the link itself stays a link. A path without links is the user's own
    choice and is written where it is. Nothing inside a `.git` directory is ever written.
    """
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise WriteRefused(f"cannot look at the file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused("not a regular file")
    if ".git" in real.split(os.sep):
        raise WriteRefused("lies inside a .git directory")
    if real != os.path.normpath(os.path.abspath(path)):
        if root is None:
            raise WriteRefused("reached through a symbolic link, and the command does not run inside a git "
                               "repository: fix writes through links only to files inside the repository")
        if not is_inside(real, root):
            raise WriteRefused("a symbolic link to a file outside the repository; fix never writes there")
    if not os.access(real, os.W_OK):
        raise WriteRefused("the file is not writable")
    return real


def repository_root() -> str | None:
    """The git repository the command runs in (from the working directory), or None."""
    return find_root(os.getcwd())


def replace_file(real: str, data: bytes) -> None:
    """Replace `real` with `data` atomically, keeping its mode (and owner and group where allowed).

    Raises OSError (ENOSPC, EFBIG under `ulimit -f`, EACCES …) with the original file untouched and
    no temporary file left behind.
    """
    st = os.stat(real)
    directory, name = os.path.split(real)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".redislint-tmp", dir=directory or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _keep_owner(fh.fileno(), st)
            os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(directory or ".")


def _keep_owner(fd: int, st: os.stat_result) -> None:
    """Give the new file the old one's owner and group when the system lets this process do so."""
    if (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return
    with contextlib.suppress(PermissionError):
        if os.geteuid() == 0:
            os.fchown(fd, st.st_uid, st.st_gid)
        else:  # a normal user may only hand the file to one of its own groups
            os.fchown(fd, -1, st.st_gid)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (best effort: not every file system can sync a directory)."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
