"""From paths to text: which files to read, and reading them with the checks a hook needs.

Nothing here raises for a user's mistake: every problem is a `Notification` with a message
that says what to do.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, NamedTuple

from redislint import gitfiles
from redislint.model import Notification
from redislint.repository import find_root

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"
# How a user raises the size limit; the CLI owns the option, the message names it.
SIZE_LIMIT_OPTION = "--max-file-size"
INPUT_SUFFIXES = (".yaml", ".yml", ".conf")
# Directories of other people's code, never walked (a path named on the command line still is).
SKIPPED_DIRS = frozenset({"node_modules", "vendor"})

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class SourceText(NamedTuple):
    """A file's text, decoded from UTF-8.

    `had_bom`: the file started with a UTF-8 byte order mark, which was removed from `text`
    (harmless in YAML, but Redis reads it as part of the first directive's name and refuses to
    start). `cr_only`: the file breaks lines with a lone `\\r` (old Mac style) and has no `\\n`;
    Redis then reads the whole file as one line, and positions are all on line 1.
    CRLF files keep their `\\r`: lines are split on `\\n`.
    """

    path: str
    text: str
    raw_bytes_len: int
    had_bom: bool = False
    cr_only: bool = False


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n:,} bytes"


def _too_big(path: str, size: int | None, limit: int) -> Notification:
    got = f"{size:,} bytes" if size is not None else "more than that"
    return Notification(
        path,
        f"file is too large to check: {got}, over the {_size(limit)} limit for one file; "
        f"configuration files are much smaller, so check the path (or raise the limit with "
        f"{SIZE_LIMIT_OPTION}=BYTES)")


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES, *,
                stdin: BinaryIO | None = None) -> SourceText | Notification:
    """Read and decode one file (`-` is standard input, shown as `<stdin>`).

    Returns a `Notification` instead of raising: missing file, directory, permission denied,
    size over `max_bytes`, binary (NUL bytes) or UTF-16/32 content, invalid UTF-8.
    """
    try:
        if path == STDIN:
            shown = STDIN_NAME
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
        else:
            shown = path
            data = _read_file(path, max_bytes)
            if isinstance(data, Notification):
                return data
    except OSError as e:
        return _os_notification(path, e)
    except Exception as e:  # never a traceback for a file problem
        return Notification(path if path != STDIN else STDIN_NAME, f"cannot read: {e}")
    if len(data) > max_bytes:
        return _too_big(shown, None, max_bytes)
    return decode_source(shown, data)


def _read_file(path: str, max_bytes: int) -> bytes | Notification:
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        return Notification(path, "is a directory, not a file (pass it as a path to check "
                                  "the YAML and .conf files inside it)")
    if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
        return _too_big(path, st.st_size, max_bytes)
    with open(path, "rb") as f:
        return f.read(max_bytes + 1)


def _os_notification(path: str, e: OSError) -> Notification:
    code = e.errno
    if isinstance(e, FileNotFoundError) or code == errno.ENOENT:
        if os.path.islink(path):
            return Notification(path, f"broken symbolic link: it points to "
                                      f"'{_readlink(path)}', which does not exist")
        return Notification(path, "file not found")
    if isinstance(e, IsADirectoryError) or code == errno.EISDIR:
        return Notification(path, "is a directory, not a file")
    if isinstance(e, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return Notification(path, "permission denied: redislint cannot read this file (check "
                                  "its permissions, or run as a user that can read it)")
    if code == errno.ELOOP:
        return Notification(path, "symbolic link loop: the link never reaches a file")
    return Notification(path, f"cannot read: {e.strerror or e}")


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def decode_source(path: str, data: bytes) -> SourceText | Notification:
    """Decode bytes as UTF-8 with the checks of `read_source` (size excepted)."""
    n = len(data)
    if data.startswith(_UTF32_BOMS):
        return Notification(path, "file is UTF-32 encoded (it starts with a UTF-32 byte order "
                                  "mark); save it as UTF-8")
    if data.startswith(_UTF16_BOMS):
        return Notification(path, "file is UTF-16 encoded (it starts with a UTF-16 byte order "
                                  "mark); save it as UTF-8")
    had_bom = data.startswith(_UTF8_BOM)
    body = data[3:] if had_bom else data
    nul = body.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(body, nul)
        return Notification(path, f"binary file: NUL byte at byte offset {nul + 3 * had_bom} "
                                  f"(line {line}, column {col}); not a text configuration file",
                            line, col)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        off = e.start
        line, col = _byte_position(body, off)
        bad = body[off:off + 1].hex()
        return Notification(path, f"not valid UTF-8: byte 0x{bad} at byte offset "
                                  f"{off + 3 * had_bom} (line {line}, column {col}); save the "
                                  f"file as UTF-8", line, col)
    cr_only = "\r" in text and "\n" not in text
    return SourceText(path, text, n, had_bom, cr_only)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and (character) column of a byte offset, lines split on `\\n`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return line, col


# -- walking ---------------------------------------------------------------------------------

def is_input_name(name: str) -> bool:
    """True for the file names a directory walk picks up (`*.yaml`, `*.yml`, `*.conf`)."""
    return name.lower().endswith(INPUT_SUFFIXES)


def is_excluded(path: str, patterns: tuple[str, ...], top: str | None = None) -> bool:
    """True when an `exclude` glob matches the path, its base name, or its path below `top`."""
    return _excluded(path, patterns, top) is not None


def _excluded(path: str, patterns: tuple[str, ...], top: str | None = None) -> str | None:
    """The first glob pattern that matches the path, its base name, or its path below `top`; else None."""
    if not patterns:
        return None
    norm = os.path.normpath(path)
    names = {norm, os.path.basename(norm), path}
    if top is not None:
        names.add(os.path.relpath(norm, top))
    for pat in patterns:
        p = os.path.normpath(pat) if pat not in ("", ".") else pat
        for name in names:
            if fnmatch.fnmatch(name, p) or fnmatch.fnmatch(name, os.path.join(p, "*")):
                return pat
    return None


def iter_input_files(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[str | Notification]:
    """The files to check, in a stable order, each once; problems as `Notification`s.

    A file given by name is always yielded, whatever its name, unless an `exclude` pattern matches
    it: then a warning says it was not checked. A directory is walked in sorted
    order for `*.yaml`, `*.yml` and `*.conf` files, skipping hidden entries (`.git`, `.github`,
    `.pre-commit-config.yaml`), `node_modules/` and `vendor/`, the `templates/` directory of a Helm
    chart (beside its `Chart.yaml`: Go templates, not YAML; a note says so), and `exclude` glob
    patterns (matched against the path and the base name). Inside a git work tree only the files
    git shows are walked: tracked ones, and untracked ones that `.gitignore` does not exclude.
    Symbolic links are followed inside the directory given; a link that leads out of it
    is not (a warning: it could walk the whole filesystem, or print the lines of a file that is no
    configuration). Broken links and loops give a notification, and so does a directory that holds
    no file to check (a warning).
    A file reached twice (two paths, or a link) is yielded once. `-` (standard input) is
    yielded as `-`; `read_source("-")` reads it and names it `<stdin>`.
    """
    patterns = tuple(exclude)
    seen_files: set[tuple[int, int]] = set()
    stdin_done = False
    for path in paths:
        if path == STDIN:
            if not stdin_done:
                stdin_done = True
                yield STDIN
            continue
        pattern = _excluded(path, patterns)
        if pattern is not None:
            # Named on purpose and skipped anyway: say so, or a run over exactly the changed files
            # (pre-commit, a CI diff) turns green on files nobody looked at.
            yield Notification(path, f"not checked: named on the command line, but the exclude pattern {pattern!r} "
                                     "matches it", level="warning")
            continue
        try:
            st = os.stat(path)
        except OSError as e:
            yield _link_notification(path, e, explicit=True)
            continue
        if stat.S_ISDIR(st.st_mode):
            met = [0]  # input files met in the walk, including those already yielded by an earlier path
            yield from _walk(path, patterns, seen_files, met)
            if not met[0]:
                # Say so: "0 files read" alone does not tell which path held nothing to check.
                yield Notification(path, "no YAML (.yaml, .yml) or .conf file to check in this directory; "
                                         "nothing here was read", level="warning")
        else:
            key = (st.st_dev, st.st_ino)
            if key in seen_files:
                continue
            seen_files.add(key)
            yield path


def _link_notification(path: str, e: OSError, explicit: bool) -> Notification:
    level = "error" if explicit else "warning"
    if e.errno == errno.ELOOP:
        return Notification(path, "symbolic link loop: the link never reaches a file; skipped",
                            level=level)
    if os.path.islink(path):
        return Notification(path, f"broken symbolic link: it points to '{_readlink(path)}', "
                                  f"which does not exist; skipped", level=level)
    if isinstance(e, FileNotFoundError):
        return Notification(path, "no such file or directory", level=level)
    if isinstance(e, PermissionError):
        return Notification(path, "permission denied", level=level)
    return Notification(path, f"cannot read: {e.strerror or e}", level=level)


def _inside(path: str, top: str) -> bool:
    """True when real path `path` is `top` or below it."""
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def _walk(top: str, patterns: tuple[str, ...], seen_files: set[tuple[int, int]],
          met: list[int] | None = None) -> Iterator[str | Notification]:
    """Depth-first, sorted, iterative walk of one directory tree; `met[0]` counts the input files met."""
    try:
        st = os.stat(top)
    except OSError as e:  # pragma: no cover - checked by the caller
        yield _link_notification(top, e, explicit=True)
        return
    on_path: set[tuple[int, int]] = set()
    top_real = os.path.realpath(top)
    visible, note = _git_visible(top_real)
    if note is not None:
        yield note
    # Stack of (directory path, its (dev, ino), iterator over sorted entries, path below top) frames.
    stack: list[tuple[str, tuple[int, int], Iterator[os.DirEntry], str]] = []

    def open_dir(path: str, key: tuple[int, int], rel: str = "") -> Notification | None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda d: d.name)
        except PermissionError:
            return Notification(path, "permission denied: cannot list this directory; skipped",
                                level="warning")
        except OSError as e:
            return Notification(path, f"cannot list this directory: {e.strerror or e}; skipped",
                                level="warning")
        on_path.add(key)
        stack.append((path, key, iter(entries), rel))
        return None

    note = open_dir(top, (st.st_dev, st.st_ino))
    if note is not None:
        yield note
        return
    while stack:
        here, key, entries, rel_here = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            on_path.discard(key)
            continue
        name = entry.name
        if name.startswith(".") or name in SKIPPED_DIRS and entry.is_dir():
            continue
        rel = f"{rel_here}{name}"
        if visible is not None and rel not in visible:
            continue  # ignored by .gitignore (or inside a directory git does not list)
        path = entry.path
        if name == "templates" and os.path.isfile(os.path.join(here, "Chart.yaml")) and entry.is_dir():
            yield Notification(path, "Helm chart templates (beside Chart.yaml): Go templates, not YAML, so not "
                                     "checked; check the chart's values, or its rendered output (helm template)",
                               level="note")
            continue
        if _excluded(path, patterns, top) is not None:
            continue
        try:
            est = os.stat(path)  # follows links
        except OSError as e:
            if entry.is_symlink() or e.errno == errno.ELOOP:
                yield _link_notification(path, e, explicit=False)
            else:
                yield Notification(path, f"cannot read: {e.strerror or e}; skipped",
                                   level="warning")
            continue
        ekey = (est.st_dev, est.st_ino)
        if entry.is_symlink() and (stat.S_ISDIR(est.st_mode) or is_input_name(name)) \
                and not _inside(os.path.realpath(path), top_real):
            # A link out of the tree: `ln -s / root` walked the whole filesystem, and a link to a file
            # elsewhere (~/.aws/credentials, /etc/shadow) printed its lines in findings and CI logs.
            yield Notification(path, f"symbolic link to '{_readlink(path)}', outside {top}: not followed "
                                     f"(pass the target itself to check it)", level="warning")
            continue
        if stat.S_ISDIR(est.st_mode):
            if ekey in on_path:
                yield Notification(path, "symbolic link loop: this link points back to a "
                                         "directory that contains it; skipped", level="warning")
                continue
            note = open_dir(path, ekey, rel + "/")
            if note is not None:
                yield note
            continue
        if not stat.S_ISREG(est.st_mode) or not is_input_name(name):
            continue
        if met is not None:
            met[0] += 1
        if ekey in seen_files:
            continue
        seen_files.add(ekey)
        yield path


def _git_visible(top: str) -> tuple[set[str] | None, Notification | None]:
    """Paths below `top` (files, and the directories holding them) that git shows: tracked, or
    untracked and not ignored. (None, None) outside git; (None, a warning) when git cannot say."""
    root = find_root(top)
    if root is None:
        return None, None
    listing = gitfiles.listing(top)
    if listing is None:
        dot_git = os.path.join(root, ".git")
        if os.path.isdir(dot_git) and not os.path.isfile(os.path.join(dot_git, "HEAD")):
            return None, None  # a directory named .git that holds no repository
        return None, Notification(top, "git could not list the files of this repository (not installed, or "
                                       "it refused the repository): .gitignore is not honoured here",
                                  level="warning")
    prefix = "" if top == root else os.path.relpath(top, root).replace(os.sep, "/") + "/"
    out: set[str] = set()
    for path in listing.visible():
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix):]
        out.add(rel)
        cut = rel.rfind("/")
        while cut > 0 and rel[:cut] not in out:  # every directory above it, once
            rel = rel[:cut]
            out.add(rel)
            cut = rel.rfind("/")
    return out, None
