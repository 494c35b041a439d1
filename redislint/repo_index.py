"""The repository index: which other files of a repository a check of some of its files needs.

pre-commit passes only the changed files, in parallel batches. A HelmRelease reads ConfigMaps,
Secrets and chart sources defined in other files, an Argo CD Application reads value files by
path, a workload mounts ConfigMaps: `redislint check .` over the whole repository resolves all of
those. So that a changed file gets exactly the findings the whole-repository run gives it, a check
inside a git repository adds, from the files that run would read, two kinds of files that are
never reported themselves:

- *referrers*: files whose documents read a checked file (the HelmRelease whose valuesFrom
  ConfigMap changed, the Application whose value file changed). Their targets put findings at the
  checked file's lines, so they are checked along with it; only findings in checked files count.
- *context*: files the checked files and the referrers read (the ConfigMaps, chart sources and
  value files they name).

Which files those are is decided from a `Summary` of every file the whole-repository run would
read (the same walk: what git shows, no hidden entries, node_modules, vendor or chart templates,
`exclude` applied): the names of the objects it defines, the names it mentions, the value files it
names. A summary is a superset: an extra file costs time, never a different result, because the
whole-repository run has it too. Summaries are cached by the file's blob id, which `git ls-files
-s` gives without hashing (files changed in the work tree, or untracked: by size, mtime and inode),
in `<git dir>/redislint/`, else the user cache directory, written atomically; a file is read again
only when it changed, and only when it can define or name such objects (`_PREFILTER`).

Size: one contract (what a file provides and reads, how the summaries are cached, which files
join a check), kept in one place so that the whole-repository and the per-file runs cannot drift.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any, NamedTuple

from redislint import __version__, gitfiles
from redislint.chartsources import template_note
from redislint.discover import INDEXED_KINDS
from redislint.gitfiles import Listing
from redislint.inputs import SourceFile
from redislint.model import Notification
from redislint.repository import find_root
from redislint.sources import MapNode, ScalarNode, SeqNode, load_yaml, read_source
from redislint.sources.files import is_excluded

FORMAT = 2
CACHE_NAME = f"index-v{FORMAT}.json"
# Kinds whose objects other documents find by name: exactly those `discover.InputIndex` indexes
# (kinds it does not look up, such as a HelmRepository every release names, would only pull in
# files that change nothing).
PROVIDER_KINDS = frozenset(INDEXED_KINDS)
# A file can define or name such an object only if one of these words is in its text; other files
# are summarised without being parsed. A new kind of reference must be findable by one of them
# (tests/integration/test_repo_index.py checks every provider kind).
_PREFILTER = re.compile(r"(?i:configmap|secret)|OCIRepository|HelmChart|valueFiles|valuesFrom|chartRef|"
                        r"additionalRedisConfig")
SKIPPED_DIRS = frozenset({"node_modules", "vendor"})
# Referrers of referrers are followed this deep (a kustomization, then the release reading what it makes).
MAX_HOPS = 4
YAML_SUFFIXES = (".yaml", ".yml")


class Summary(NamedTuple):
    """What one file defines and names, as far as references between files go."""

    # metadata.name of its objects of PROVIDER_KINDS, and the ConfigMaps and Secrets its kustomize
    # generators make
    provides: frozenset[str]
    mentions: frozenset[str]  # values of name-like keys anywhere else (`name`, `*Name`, `*configMap`, `*secret`)
    # files it names by path: Argo CD `valueFiles` entries, kustomize generators' `files`
    paths: tuple[str, ...]

    def to_json(self) -> Any:
        if not (self.provides or self.mentions or self.paths):
            return 0
        return [sorted(self.provides), sorted(self.mentions), list(self.paths)]

    @classmethod
    def from_json(cls, data: Any) -> Summary:
        if data == 0:
            return EMPTY
        provides, mentions, paths = data
        return cls(frozenset(provides), frozenset(mentions), tuple(paths))


EMPTY = Summary(frozenset(), frozenset(), ())


# Keys that name a ConfigMap without saying so: the OT operator's `additionalRedisConfig`.
_NAMING_KEYS = frozenset({"additionalRedisConfig"})


def _name_key(key: str) -> bool:
    low = key.lower()
    return key == "name" or key.endswith("Name") or low.endswith(("configmap", "secret")) or key in _NAMING_KEYS


def summarize(yaml_file: Any) -> Summary:
    """The summary of a parsed YAML file (`sources.YamlFile`)."""
    provides: set[str] = set()
    mentions: set[str] = set()
    paths: list[str] = []
    for doc in yaml_file.documents:
        root = doc.root
        if not isinstance(root, MapNode):
            continue
        kind, metadata = root.get("kind"), root.get("metadata")
        if isinstance(kind, ScalarNode) and str(kind.text) in PROVIDER_KINDS and isinstance(metadata, MapNode):
            name = metadata.get("name")
            if isinstance(name, ScalarNode) and name.value is not None:
                provides.add(str(name.text))
        for generator in ("configMapGenerator", "secretGenerator"):  # kustomize: a ConfigMap made from files
            items = root.get(generator)
            for item in items.items if isinstance(items, SeqNode) else ():
                name, files = (item.get("name"), item.get("files")) if isinstance(item, MapNode) else (None, None)
                if isinstance(name, ScalarNode) and name.value is not None:
                    provides.add(str(name.text))
                for f in files.items if isinstance(files, SeqNode) else ():
                    if isinstance(f, ScalarNode) and f.value is not None:
                        key, sep, rel = str(f.text).partition("=")  # `key=path` or `path`
                        paths.append(rel if sep else key)
        seen: set[int] = set()
        stack: list[Any] = [v for k, v in root.entries if str(k.text) != "metadata"]
        while stack:
            node = stack.pop()
            if id(node) in seen:  # an alias shares its anchor's node
                continue
            seen.add(id(node))
            if isinstance(node, MapNode):
                for k, v in node.entries:
                    key = str(k.text)
                    if isinstance(v, ScalarNode):
                        if v.value is not None and _name_key(key):
                            mentions.add(str(v.text))
                    elif key == "valueFiles" and isinstance(v, SeqNode):
                        paths += [str(i.text) for i in v.items if isinstance(i, ScalarNode) and i.value is not None]
                        stack.append(v)
                    elif v is not None:
                        stack.append(v)
            elif isinstance(node, SeqNode):
                stack += [i for i in node.items if not isinstance(i, ScalarNode)]
    return Summary(frozenset(provides), frozenset(mentions), tuple(paths))


def summarize_text(path: str, text: str) -> Summary:
    """The summary of a file's text: parsed only when the prefilter says it can matter."""
    if _PREFILTER.search(text) is None:
        return EMPTY

    return summarize(load_yaml(path, text))


# -- which files the whole-repository run reads -------------------------------------------------

def universe(listing: Listing, exclude: tuple[str, ...] = ()) -> list[str]:
    """The YAML files (relative to the root) that `redislint check <root>` reads."""
    root = listing.root
    charts: dict[str, bool] = {}
    out = []
    for rel in listing.visible():
        if not rel.lower().endswith(YAML_SUFFIXES) or rel.startswith(".") or "/." in rel:
            continue
        if ("node_modules/" in rel or "vendor/" in rel) and any(p in SKIPPED_DIRS for p in rel.split("/")[:-1]):
            continue
        if "templates/" in rel and _in_chart_templates(root, rel.split("/"), charts):
            continue
        if exclude and is_excluded(os.path.join(root, rel), exclude, root):
            continue
        out.append(rel)
    return out


def _in_chart_templates(root: str, parts: list[str], charts: dict[str, bool]) -> bool:
    for i, part in enumerate(parts[:-1]):
        if part == "templates":
            parent = "/".join(parts[:i])
            if parent not in charts:
                charts[parent] = os.path.isfile(os.path.join(root, parent, "Chart.yaml"))
            if charts[parent]:
                return True
    return False


# -- the cache ----------------------------------------------------------------------------------

def cache_dirs(root: str) -> list[str]:
    """Where the index of the repository at `root` is kept, in order of preference: its git
    directory (a worktree's own; never the work tree), then the user cache directory."""
    out = []
    git_dir = _git_dir(root)
    if git_dir is not None:
        out.append(os.path.join(git_dir, "redislint"))
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    name = root.strip(os.sep).replace(os.sep, "%") or "%"
    if len(name) > 200:
        import hashlib  # noqa: PLC0415 - hashlib only for a work-tree path too long for a file name

        name = hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()
    out.append(os.path.join(base, "redislint", name))
    return out


def _git_dir(root: str) -> str | None:
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:  # a worktree or submodule: `.git` is a file naming its git directory
        with open(dot_git, encoding="utf-8") as fh:
            line = fh.readline().strip()
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(root, line[len("gitdir:"):].strip()))


def _header() -> dict[str, Any]:
    return {"format": FORMAT, "redislint": __version__, "kinds": sorted(PROVIDER_KINDS),
            "prefilter": _PREFILTER.pattern}


def load_cache(dirs: list[str]) -> dict[str, Any]:
    """The cached summaries (key -> JSON form) from the first readable cache; {} when none is usable.

    A cache written by another version, or damaged (a crash, a full disk, a hand edit), is ignored
    and rewritten: it only ever saves time.
    """
    for d in dirs:
        try:
            with open(os.path.join(d, CACHE_NAME), encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and data.get("header") == _header() and isinstance(data.get("entries"), dict):
            return data["entries"]
    return {}


def save_cache(dirs: list[str], entries: dict[str, Any]) -> str | None:
    """Write the cache atomically (temporary file, then rename) to the first directory that takes
    it; the directory written, or None. Parallel batches may write at once: each writes a complete
    file, and the last rename wins."""
    payload = json.dumps({"header": _header(), "entries": entries}, separators=(",", ":"), sort_keys=True)
    for d in dirs:
        tmp = os.path.join(d, f".{CACHE_NAME}.{os.getpid()}.tmp")
        try:
            os.makedirs(d, mode=0o700, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
            except BaseException:
                _remove(tmp)
                raise
            os.replace(tmp, os.path.join(d, CACHE_NAME))
            return d
        except OSError:  # read-only .git, a full disk: try the next place, else run without a cache
            _remove(tmp)
            continue
    return None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- summaries of a repository's files -----------------------------------------------------------

class RepoFiles:
    """The files of one repository a whole-repository run reads, with their summaries (in their
    JSON form, `Summary.to_json`: most runs only test a few names against them)."""

    def __init__(self, listing: Listing, exclude: tuple[str, ...], max_bytes: int | None) -> None:
        self.listing = listing
        self.root = listing.root
        self.max_bytes = max_bytes
        self.paths = universe(listing, exclude)
        self._dirs = cache_dirs(self.root)
        self._cache: dict[str, Any] | None = None  # loaded on first use: `check .` needs none
        self._used: dict[str, Any] = {}
        self._fresh = False
        self._raw: dict[str, Any] = {}

    def key(self, rel: str) -> str | None:
        """The cache key of a file: its blob id when the work tree holds what the index staged."""
        blob = self.listing.blobs.get(rel)
        if blob is not None and rel not in self.listing.changed:
            return "b" + blob
        try:
            st = os.stat(os.path.join(self.root, rel))
        except OSError:
            return None
        return None if not stat.S_ISREG(st.st_mode) else f"s{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"

    def raw(self, rel: str) -> Any:
        """The summary of one file (relative to the root) in its JSON form, from the cache or by reading it."""
        hit = self._raw.get(rel)
        if hit is not None:
            return hit
        if self._cache is None:
            self._cache = load_cache(self._dirs)
        key = self.key(rel)
        data = self._cache.get(key) if key is not None else None
        if not _well_formed(data):  # missing, or damaged: read the file again
            data = self._read(rel).to_json()
            self._fresh = True
        if key is not None:
            self._used[key] = data
        self._raw[rel] = data
        return data

    def summary(self, rel: str) -> Summary:
        return Summary.from_json(self.raw(rel))

    def _read(self, rel: str) -> Summary:
        path = os.path.join(self.root, rel)
        source = read_source(path) if self.max_bytes is None else read_source(path, max_bytes=self.max_bytes)
        if isinstance(source, Notification) or template_note(path, source.text) is not None:
            return EMPTY  # the whole-repository run does not read it either
        return summarize_text(path, source.text)

    def save(self) -> None:
        """Write the summaries of this run (and nothing stale) when any was read afresh."""
        if self._fresh:
            save_cache(self._dirs, self._used)


def _well_formed(data: Any) -> bool:
    return data == 0 or (type(data) is list and len(data) == 3 and all(
        type(part) is list and all(type(x) is str for x in part) for part in data))


# -- what a check needs ---------------------------------------------------------------------------

class Supplement(NamedTuple):
    """Files a check adds from its repository (paths as the check names them), never reported."""

    referrers: list[str]  # checked along with the checked files: their targets read a checked file
    context: list[str]  # read by the checked files or the referrers
    notes: list[Notification]
    partial: bool = False  # the repository has files the whole-repository run reads that were not checked


class Added(frozenset):
    """The paths `add_repository_files` added (never reported); `partial` when the checked files are
    not all the files a whole-repository run reads, so that what only such a run can judge (a config
    file's `suppress:` entry that matched nothing, RL901) is not judged."""

    partial: bool = False


def supplement(checked: Iterable[str], exclude: tuple[str, ...] = (), max_bytes: int | None = None) -> Supplement:
    """The referrers and context files of the checked YAML files, from each one's repository."""
    by_root: dict[str, list[str]] = {}
    outside: dict[str, str | None] = {}
    for path in checked:
        if path in ("-", "<stdin>") or not path.lower().endswith(YAML_SUFFIXES):
            continue
        d = os.path.dirname(os.path.realpath(path))
        if d not in outside:
            outside[d] = find_root(d)
        root = outside[d]
        if root is not None:
            by_root.setdefault(root, []).append(path)
    out = Supplement([], [], [])
    for root, paths in by_root.items():
        listing = gitfiles.listing(root)
        if listing is None:
            out.notes.append(Notification(root, "git could not list the files of this repository: references to "
                                                "its other files (valuesFrom, chartRef, valueFiles, mounted "
                                                "ConfigMaps) were resolved only among the files given",
                                          level="warning"))
            continue
        repo = RepoFiles(listing, exclude, max_bytes)
        checked_rel = {_relative(p, root): p for p in paths}
        if any(p not in checked_rel for p in repo.paths):
            out = out._replace(partial=True)
        referrers, context = _needed(repo, checked_rel)
        repo.save()
        out.referrers.extend(_shown(root, r) for r in referrers)
        out.context.extend(_shown(root, c) for c in context)
    return out


def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.realpath(path), root).replace(os.sep, "/")


def _shown(root: str, rel: str) -> str:
    """A repository file as the check names it: relative to the working directory when below it."""
    full = os.path.join(root, rel)
    here = os.getcwd()
    return os.path.relpath(full, here) if full.startswith(here.rstrip(os.sep) + os.sep) else full


def _needed(repo: RepoFiles, checked: dict[str, str]) -> tuple[list[str], list[str]]:
    """(referrers, context), relative to the root, sorted.

    Referrers: files that name a checked file by path, or mention a name a checked file provides;
    then, in turn, files that mention a name those provide (a kustomization makes a ConfigMap from
    a checked values file, a release reads that ConfigMap: both say something about the values
    file). Context: what the checked files and the referrers name.
    """
    others = [p for p in repo.paths if p not in checked]
    if not others:
        return [], []
    mine = [repo.summary(rel) for rel in checked]
    checked_parts = [tuple(rel.split("/")) for rel in checked]
    raws = [(rel, repo.raw(rel)) for rel in others]
    referrers: list[str] = []
    taken: set[str] = set()
    provided = set().union(*(s.provides for s in mine))
    by_path = True
    for _ in range(MAX_HOPS):
        found = []
        for rel, data in raws:
            if data == 0 or rel in taken:
                continue
            if (provided and not provided.isdisjoint(data[1])) or (by_path and data[2] and any(
                    _fits(parts, c) for parts in _entries(data[2]) for c in checked_parts)):
                found.append(rel)
        if not found:
            break
        referrers += found
        taken.update(found)
        provided = set().union(*(repo.summary(r).provides for r in found))
        by_path = False
        if not provided:
            break
    readers = mine + [repo.summary(r) for r in referrers]
    wanted = set().union(*(s.mentions for s in readers))
    entries = [parts for s in readers for parts in _entries(s.paths)]
    context = []
    for rel, data in raws:
        if rel in taken:
            continue
        if (wanted and data != 0 and not wanted.isdisjoint(data[0])) or (
                entries and any(_fits(parts, tuple(rel.split("/"))) for parts in entries)):
            context.append(rel)
    return sorted(referrers), sorted(context)


def _entries(paths: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Paths a file names, as components to match file paths against; remote and templated entries
    name no file of the repository."""
    out = []
    for entry in paths:
        e = entry.strip()
        if not e or e.startswith(("http://", "https://")) or "{{" in e:
            continue
        if e.startswith("$"):  # $ref/path: a path in the repository of the `ref:` source
            e = e.partition("/")[2]
        parts = tuple(p for p in posixpath.normpath(e).split("/") if p not in ("", ".", ".."))
        if parts:
            out.append(parts)
    return out


def _fits(entry: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Could `entry` (relative to some directory, globs allowed) name the file at `path`? A superset."""
    if any("**" in p for p in entry):
        return fnmatchcase(path[-1], entry[-1].replace("**", "*"))
    if len(path) < len(entry):
        return False
    return all(fnmatchcase(p, e) for p, e in zip(path[len(path) - len(entry):], entry, strict=True))


# -- feeding the check ----------------------------------------------------------------------------

def add_repository_files(read: Any, exclude: tuple[str, ...] = (), max_bytes: int | None = None) -> Added:
    """Append the referrers, then the context files, of the checked YAML files to `read`
    (`inputs.ReadInputs`); the paths added, which the report leaves out."""
    extra = supplement([f.path for f in read.files if not f.conf], exclude, max_bytes)
    read.notifications.extend(extra.notes)
    added = []
    for path in extra.referrers + extra.context:
        source = read_source(path) if max_bytes is None else read_source(path, max_bytes=max_bytes)
        if isinstance(source, Notification) or template_note(path, source.text) is not None:
            continue
        read.files.append(SourceFile(path, source.text, False))
        read.texts[path] = source.text
        added.append(path)
    result = Added(added)
    result.partial = extra.partial
    return result


def target_reads(target: Any) -> frozenset[str]:
    """The files a target's configuration was read from: its values layers and config lines
    (`judging.LightTarget` carries them as `reads`)."""
    reads = getattr(target, "reads", None)
    if reads is not None:
        return reads
    out: set[str] = set()
    values = getattr(target, "values", None)
    for layer in getattr(values, "layers", ()) or ():
        out.add(layer.root.span.path)
    stack = [target.source] if getattr(target, "source", None) is not None else []
    while stack:
        source = stack.pop()
        for item in source.items:
            if hasattr(item, "source"):  # Include
                stack.append(item.source)
            elif item.span is not None:
                out.add(item.span.path)
    return frozenset(out)
