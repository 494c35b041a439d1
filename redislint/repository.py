"""Where the repository being checked starts, and whether a path stays inside it.

Repository content (annotations, config files found in the tree, profile `extends`, paths named in
values) is attacker-controlled on a pull request from a fork: every path it names must stay inside
the repository it came from. Both the config-file lookup and the profile loader ask this module.
"""

from __future__ import annotations

import os


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
