"""Real git repositories for the change tests: a base commit, then the change (committed or in the work tree)."""

from __future__ import annotations

import subprocess
from pathlib import Path

# Identity and defaults on the command line: the tests never depend on the user's git config.
_GIT = ["git", "-c", "user.email=test@example.com", "-c", "user.name=redislint tests", "-c", "init.defaultBranch=main",
        "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"]


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its output (a failure fails the test)."""
    return subprocess.run(_GIT + list(args), cwd=cwd, check=True, capture_output=True, text=True).stdout


def write(root: Path, files: dict[str, str | None]) -> None:
    """Write each file (None deletes it)."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def make_repo(root: Path, base: dict[str, str], change: dict[str, str | None] | None = None,
              commit: bool = True) -> Path:
    """A repository whose first commit (tagged `base`) holds `base`; then `change` written, and committed
    unless `commit` is False (the work tree then differs from HEAD, as before a commit)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write(root, base)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    if change:
        write(root, change)
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", "change")
    return root
