"""Paths as outputs show them: relative to the root with `/`, or absolute outside it; SARIF URIs."""

from __future__ import annotations

import os
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote


def is_pseudo_path(path: str) -> bool:
    """`-` and `<stdin>`-style names that are not files."""
    return path == "-" or path == "" or (path.startswith("<") and path.endswith(">"))


class PathMapper:
    """Turns the paths in spans into repository-relative or, outside the root, absolute paths."""

    def __init__(self, root: str) -> None:
        self._root = os.path.abspath(root)
        self._real_root = os.path.realpath(root)
        self._cache: dict[tuple[str, bool], str | None] = {}

    def relative(self, path: str, follow_links: bool = True) -> str | None:
        """`/`-separated path relative to the root, or None when the file lies outside it.

        Symlinks are resolved first when the target is inside the root (GitHub does not show results
        on symlinked paths); otherwise the path as given is used. `follow_links=False` keeps the
        path as given: for notifications about the link itself (a broken link or a loop), whose
        resolved path names a file that does not exist or the directory the link points back to.
        """
        key = (path, follow_links)
        if key in self._cache:
            return self._cache[key]
        rel: str | None
        if is_pseudo_path(path):
            rel = path
        else:
            rel = _inside(os.path.realpath(path), self._real_root) if follow_links else None
            if rel is None:
                rel = _inside(os.path.abspath(path), self._root)
                if rel is None and not follow_links:
                    rel = _inside(os.path.abspath(path), self._real_root)
        self._cache[key] = rel
        return rel

    def display(self, path: str, follow_links: bool = True) -> str:
        """Relative path when inside the root, else the absolute path with `/` separators."""
        rel = self.relative(path, follow_links)
        if rel is not None:
            return rel
        return os.path.abspath(path).replace(os.sep, "/")

    def uri(self, path: str, follow_links: bool = True) -> tuple[str, bool]:
        """SARIF artifact URI and whether it is relative to `%SRCROOT%`.

        Inside the root: a percent-encoded relative reference (`charts/redis/values.yaml`). Outside:
        an absolute `file:` URI, because a `../` reference resolved against the repository root would
        name a different (or no) repository file.
        """
        rel = self.relative(path, follow_links)
        if rel is not None:
            return quote(rel, safe="/-._~"), True
        absolute = os.path.abspath(path)
        pure = PureWindowsPath(absolute) if os.name == "nt" else PurePosixPath(absolute)
        return pure.as_uri(), False


def _inside(path: str, root: str) -> str | None:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")
