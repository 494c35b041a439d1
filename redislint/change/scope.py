"""Which files a change can affect: the changed files, the files whose documents read them, and what those read.

A target's configuration comes from its own file and the objects and files it refers to: a
`valuesFrom` ConfigMap or Secret, a `chartRef`, a mounted ConfigMap (found by name), an Argo CD
value file or a kustomize generator's file (found by path). A target can only change when one of
those changed, so comparing two revisions needs only the targets of the changed files and of the
files that refer to them, built with what they read. Those are found among the run's own files:
- a *referrer* writes `name: X` (any `…name:` key) for an object X a changed file defines
  (`repo_index.summarize_text`), or names files by path (Argo CD `valueFiles`, kustomize
  generators) and holds a changed file's name;
- a file is *read* when it writes `name: X` for an object X a changed file or a referrer looks up
  (an item with `kind:` ConfigMap, Secret, OCIRepository or HelmChart and a `name:`, a `configMap:`,
  `secret:` or `…KeyRef:` reference), or when its path ends like a file they name by path.
A superset costs time, never a different comparison: both revisions are built from the same files.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

from redislint.inputs import ReadInputs, SourceFile, is_conf_name, parse_source
from redislint.repo_index import EMPTY, PROVIDER_KINDS, Summary, summarize
from redislint.sources import MapNode, ScalarNode, SeqNode

# Keys whose map value names an object by `name` (or `secretName`) without a `kind:` beside it.
_REFERENCE_KEYS = frozenset({"configMap", "secret", "configMapRef", "secretRef", "configMapKeyRef", "secretKeyRef"})


class Parsed:
    """Each text parsed once: the same file at both revisions, and by the scope and the discovery."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str], Any] = {}

    def load(self, source: SourceFile) -> Any:
        """The `YamlFile` or `ConfFile` of one file's text (`inputs.parse_source`)."""
        key = (source.path, source.text)
        found = self._loaded.get(key)
        if found is None:
            found = self._loaded[key] = parse_source(source)
        return found

    def summary(self, path: str, text: str) -> tuple[Summary, Any]:
        """(`repo_index.summarize` of a YAML text, its parsed file); a redis.conf names nothing."""
        if is_conf_name(path):
            return EMPTY, None
        loaded = self.load(SourceFile(path, text, False))
        return summarize(loaded), loaded


def affected(read: ReadInputs, changed: Iterable[str], base_texts: dict[str, str],
             extra: Iterable[tuple[str, str]] = (), parsed: Parsed | None = None) -> set[str]:
    """Paths of `read` whose targets the change can affect, or that those targets read.

    `changed`: current paths whose text differs from the base (`base_texts` has their old text when
    they had one); `extra`: (path, text) of base files the change deleted.
    """
    parsed = parsed if parsed is not None else Parsed()
    texts = read.texts
    changed = [p for p in changed if p in texts]
    versions = [(p, texts[p]) for p in changed] + [(p, base_texts[p]) for p in changed if p in base_texts] \
        + list(extra)
    defined = set().union(*(parsed.summary(p, t)[0].provides for p, t in versions)) if versions else set()
    basenames = {posixpath.basename(p) for p, _ in versions}
    wanted = set(changed)
    named = _name_lines(defined)
    for f in read.files:
        if f.path not in wanted and ((named is not None and named.search(f.text)) or (
                ("valueFiles" in f.text or "Generator" in f.text) and any(n in f.text for n in basenames))):
            wanted.add(f.path)  # a referrer: its targets may read a changed file
    readers = versions + [(p, texts[p]) for p in wanted if p not in changed]
    looked_up: set[str] = set()
    paths: set[tuple[str, ...]] = set()
    for p, t in readers:
        names, named_paths = _references(*parsed.summary(p, t))
        looked_up |= names
        paths |= named_paths
    wanted_names = _name_lines(looked_up)
    for f in read.files:
        if f.path in wanted:
            continue
        parts = tuple(f.path.replace("\\", "/").split("/")[-2:])
        if (wanted_names is not None and wanted_names.search(f.text)) or any(_ends(parts, e) for e in paths):
            wanted.add(f.path)  # read by a changed file or a referrer
    return wanted


def _name_lines(names: set[str]) -> re.Pattern[str] | None:
    """A `…name: X` line for any X of `names`, quoted or not."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    return re.compile(rf"""^[ \t-]*[A-Za-z]*[Nn]ame:[ \t]*["']?(?:{alternatives})["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


def _references(summary: Summary, loaded: Any) -> tuple[set[str], set[tuple[str, ...]]]:
    """(names of objects a file's documents look up, endings of the paths they name)."""
    endings = {tuple(v.strip("/").split("/")[-2:]) for v in summary.paths if v.strip()}
    names: set[str] = set()
    if summary.mentions and loaded is not None:
        for doc in loaded.documents:
            _walk(doc.root, names)
    return names, endings


def _walk(node: Any, names: set[str]) -> None:
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, MapNode):
            kind = item.get("kind")
            if isinstance(kind, ScalarNode) and str(kind.text) in PROVIDER_KINDS:
                _add(item.get("name"), names)
            for key, value in item.items():
                if isinstance(key, ScalarNode) and str(key.text) in _REFERENCE_KEYS and isinstance(value, MapNode):
                    _add(value.get("name"), names)
                    _add(value.get("secretName"), names)
                if isinstance(value, (MapNode, SeqNode)):
                    stack.append(value)
        elif isinstance(item, SeqNode):
            stack.extend(i for i in item.items if isinstance(i, (MapNode, SeqNode)))


def _add(node: Any, names: set[str]) -> None:
    if isinstance(node, ScalarNode) and node.value is not None:
        names.add(str(node.text))


def _ends(parts: tuple[str, ...], entry: tuple[str, ...]) -> bool:
    """Could a path entry ending in `entry` (globs allowed) name a file whose path ends in `parts`?"""
    if not entry:
        return False
    tail = parts[-len(entry):]
    return len(tail) == len(entry) and all(fnmatchcase(p, e.replace("**", "*")) for p, e in zip(tail, entry, strict=True))


def subset(read: ReadInputs, paths: set[str]) -> ReadInputs:
    """The files of `read` among `paths`, in the same order."""
    out = ReadInputs([f for f in read.files if f.path in paths])
    out.texts = {p: t for p, t in read.texts.items() if p in paths}
    out.files_read = len(out.files)
    return out
