"""Where the repository being checked starts, and whether a path stays inside it.

Repository content (annotations, config files found in the tree, profile `extends`, paths named in
values) is attacker-controlled on a pull request from a fork: every path it names must stay inside
the repository it came from. Both the config-file lookup and the profile loader ask this module.
"""

from __future__ import annotations

import os
import stat


def find_root(start: str) -> str | None:
    """The nearest directory at or above `start` (a file or directory) that holds `.git`; None outside git.

    `.git` may be a directory (a normal clone) or a file (a worktree or submodule). The path is
    resolved first, so a symbolic link into a repository counts as that repository.
    """
    here = os.path.realpath(start)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def is_inside(path: str, root: str) -> bool:
    """True when `path`, with every symbolic link resolved, is `root` or lies below it."""
    real = os.path.realpath(path)
    top = os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def root_for(path: str) -> str:
    """The repository `path` (a file or directory) belongs to: its git top-level; outside git, the
    directory itself, or the directory that holds the file.

    Outside git nothing says where a project ends, and the working directory may be `/` or a home
    directory: the narrowest honest answer is the directory the naming file sits in.
    """
    found = find_root(path)
    if found is not None:
        return found
    real = os.path.realpath(path)
    return real if os.path.isdir(real) else os.path.dirname(real)


class NotReadable(Exception):
    """A file named by repository content that cannot be used; the message names the value, never content."""


def read_small_text(path: str, value: str, limit: int, what: str) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes, read without blocking.

    `O_NONBLOCK` keeps a named pipe from hanging the run at `open`; `fstat` on the open file
    rejects pipes and devices (`/dev/zero`, `/dev/stdin`) before a byte is read. `value` is how
    the path was written where it was named, `what` what the file should be ("a profile").
    """
    too_big = f"{value!r} is larger than {limit // 1024} KiB: {what} is a short text file"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotReadable(f"{value!r}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotReadable(f"{value!r} is not a regular file ({_file_kind(st.st_mode)}): {what} is a text file")
        if st.st_size > limit:
            raise NotReadable(too_big)
        data = b""
        while len(data) <= limit:  # the file may have grown since fstat
            chunk = os.read(fd, limit + 1 - len(data))
            if not chunk:
                break
            data += chunk
        if len(data) > limit:
            raise NotReadable(too_big)
    except OSError as exc:
        raise NotReadable(f"{value!r}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotReadable(f"{value!r} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a plain file"
