"""The files of the base revision that a change is compared with, placed where the change has them.

Each file the check reads (`inputs.ReadInputs`, context files included) is looked up at the base
revision under the same repository path, or under the path it was renamed from. Its base text is
then given the file's *current* path, so the base run resolves references and names targets exactly
as the current run does, and a moved file compares with itself. Files of the checked directories that
the change deleted are read at their old paths (a release moved to a new file still finds itself).

Renames are found the way `git diff --find-renames` finds them (the same content, else at least half
of the lines in common), but in Python, from blobs: git's own rename detection reads the work tree
through the repository's clean filters, which a pull request can name in `.gitattributes`.
"""

from __future__ import annotations

import difflib
import os
from typing import NamedTuple

from redislint.change.git import BaseTree, blob_sizes, read_blobs
from redislint.inputs import ReadInputs, SourceFile, is_conf_name
from redislint.model import Notification
from redislint.sources import decode_source
from redislint.sources.files import (
    DEFAULT_MAX_BYTES,
    INPUT_SUFFIXES,
    SKIPPED_DIRS,
    is_excluded,
)

# git's default: a pair of files is a rename when at least half of it is unchanged.
RENAME_SIMILARITY = 0.5
# Deleted files compared with each new file, at most (a change that deletes thousands of files and
# adds others would otherwise compare every pair).
RENAME_CANDIDATES = 200


class BaseFiles(NamedTuple):
    """What the base revision holds of the files a check reads."""

    read: ReadInputs  # the base texts, under the current paths (deleted files under their old ones)
    texts: dict[str, str]  # current path -> base text, for every file that has one
    changed: frozenset[str]  # current paths whose text differs from the base (new files included)
    deleted: tuple[str, ...]  # paths (as shown) of files of the checked paths the change deleted
    renamed: dict[str, str]  # current path -> its repository path at the base, for renamed files
    notes: tuple[Notification, ...]  # base files that could not be read as text


def relative(path: str, root: str) -> str | None:
    """`path` relative to the repository root, `/`-separated; None outside it."""
    rel = os.path.relpath(os.path.realpath(path), root)
    return None if rel == ".." or rel.startswith(".." + os.sep) else rel.replace(os.sep, "/")


def shown(root: str, rel: str) -> str:
    """A repository path as the check names files: relative to the working directory when below it."""
    full = os.path.join(root, *rel.split("/"))
    here = os.getcwd()
    return os.path.relpath(full, here) if full.startswith(here.rstrip(os.sep) + os.sep) else full


def base_files(read: ReadInputs, checked: list[str], base: BaseTree, exclude: tuple[str, ...] = (),
               max_bytes: int | None = None) -> BaseFiles:
    """The base side of every file `read` holds, and the files of `checked` the change deleted."""
    root = base.root
    limit = max_bytes or DEFAULT_MAX_BYTES
    rels = {f.path: relative(f.path, root) for f in read.files}
    new = [f for f in read.files if rels[f.path] is not None and rels[f.path] not in base.blobs]
    # Files the change removed: from anywhere when a new file may be one of them renamed, else only
    # those of the checked directories (their releases may have moved to another file).
    tops = [t for t in (relative(p, root) for p in checked) if t is not None]
    gone = [p for p in base.blobs if p.lower().endswith(INPUT_SUFFIXES) and (new or _under(p, tops))
            and not _exists(root, p)]
    renamed = _renames(new, gone, base, limit) if new and gone else {}
    source_of = {f.path: renamed.get(f.path, rels[f.path]) for f in read.files}
    # The base blob of every file is read and compared with the file as the check read it: git's own
    # "is it modified" (ls-files, status) refreshes the index through fsmonitor and clean filters.
    wanted: dict[str, str] = {}  # current path -> base blob id
    for f in read.files:
        rel = source_of[f.path]
        blob = base.blobs.get(rel) if rel is not None else None
        if blob is not None:
            wanted[f.path] = blob
    used = {rel for rel in source_of.values() if rel is not None}
    deleted = [p for p in gone if p not in used and _under(p, tops) and _walked(p, root, exclude, base)]
    contents = _contents(root, list(wanted.values()) + [base.blobs[p] for p in deleted], limit)
    out = ReadInputs()
    texts: dict[str, str] = {}
    changed: set[str] = set()
    notes: list[Notification] = []
    for f in read.files:
        text = _decode(f.path, contents.get(wanted[f.path]), f.conf, notes) if f.path in wanted else None
        if text is None:
            changed.add(f.path)  # new at this revision (or its base could not be read)
            continue
        texts[f.path] = text
        if text != f.text:
            changed.add(f.path)
        _add(out, SourceFile(f.path, text, f.conf))
    shown_deleted = []
    for rel in deleted:
        path = shown(root, rel)
        text = _decode(path, contents.get(base.blobs[rel]), is_conf_name(rel), notes)
        if text is not None:
            shown_deleted.append(path)
            _add(out, SourceFile(path, text, is_conf_name(rel)))
    return BaseFiles(out, texts, frozenset(changed), tuple(shown_deleted), renamed, tuple(notes))


def _add(read: ReadInputs, source: SourceFile) -> None:
    read.files.append(source)
    read.texts[source.path] = source.text
    read.files_read += 1


def _exists(root: str, rel: str) -> bool:
    return os.path.lexists(os.path.join(root, *rel.split("/")))


def _under(rel: str, tops: list[str]) -> bool:
    """`rel` is one of the checked paths or below one of them."""
    return any(top == "." or rel == top or rel.startswith(top.rstrip("/") + "/") for top in tops)


def _walked(rel: str, root: str, exclude: tuple[str, ...], base: BaseTree) -> bool:
    """The walk of a checked directory would have read this file (at the base revision)."""
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts) or any(p in SKIPPED_DIRS for p in parts[:-1]):
        return False
    for i, part in enumerate(parts[:-1]):  # a Helm chart's templates are Go templates, not YAML
        if part == "templates" and "/".join(parts[:i] + ["Chart.yaml"]) in base.blobs:
            return False
    return not (exclude and is_excluded(os.path.join(root, *parts), exclude, root))


def _contents(root: str, ids: list[str], limit: int) -> dict[str, bytes]:
    """The blobs no larger than the size limit of a checked file."""
    sizes = blob_sizes(root, ids)
    return read_blobs(root, [b for b in ids if sizes.get(b, limit + 1) <= limit])


def _decode(path: str, data: bytes | None, conf: bool, notes: list[Notification]) -> str | None:
    """A base blob as the check would read the file; None (with a note) when it is no text file."""
    if data is None:
        return None
    source = decode_source(path, data)
    if isinstance(source, Notification):
        notes.append(source._replace(message=f"at the base revision: {source.message}", level="warning"))
        return None
    return "\ufeff" + source.text if conf and source.had_bom else source.text


def _renames(new: list[SourceFile], gone: list[str], base: BaseTree, limit: int) -> dict[str, str]:
    """Current path -> base path for new files whose content came from a file the change removed."""
    ranked = sorted(gone, key=lambda rel: (not any(os.path.basename(f.path) == rel.rsplit("/", 1)[-1]
                                                   for f in new), rel))[:RENAME_CANDIDATES]
    blobs = _contents(base.root, [base.blobs[rel] for rel in ranked], limit)
    old: dict[str, list[str]] = {}
    for rel in ranked:
        data = blobs.get(base.blobs[rel])
        if data is not None:
            old[rel] = data.decode("utf-8", "replace").splitlines()
    out: dict[str, str] = {}
    taken: set[str] = set()
    for f in sorted(new, key=lambda f: f.path):
        lines = f.text.splitlines()
        best: tuple[float, str] | None = None
        for rel, before in old.items():
            if rel in taken:
                continue
            if before == lines:
                best = (2.0, rel)
                break
            matcher = difflib.SequenceMatcher(None, before, lines, autojunk=False)
            if matcher.real_quick_ratio() < RENAME_SIMILARITY or matcher.quick_ratio() < RENAME_SIMILARITY:
                continue
            score = matcher.ratio()
            if score >= RENAME_SIMILARITY and (best is None or score > best[0]):
                best = (score, rel)
        if best is not None:
            out[f.path] = best[1]
            taken.add(best[1])
    return out
