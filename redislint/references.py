"""Which input files must be checked together: what each file defines and mentions for the lookups
of `discover.InputIndex`, the one place references between documents are resolved.

A HelmRelease, Application, workload or operator resource may read a ConfigMap, Secret,
OCIRepository or HelmChart defined in another file (`valuesFrom`, `chartRef`, a mounted
`configMap`). Every such lookup goes by the object's `name` among `INDEXED_KINDS`, so a file's
`FileReferences` lists the names of the objects of those kinds it defines and every `name:` value
written in its other documents (a superset of the names they can look up). Files linked by a name
(one defines it, another mentions it) are one unit (`linked_units`). Argo CD `valueFiles` and a
kustomize `configMapGenerator` name other inputs by path instead: a run that holds either
(`names_files_by_path`) is checked as one unit. A new kind of lookup belongs in `InputIndex` and is
then covered here; tests compare file-by-file runs with one-pass runs on inputs with every kind of
reference.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from redislint.discover import INDEXED_KINDS, classify, text_of
from redislint.sources import MapNode, SeqNode, YamlFile, node_at

PATH_REFERENCE_KEY = "valueFiles"
GENERATOR_KEY = "configMapGenerator"
# Documents that never look anything up by name: the looked-up objects themselves, and mappings
# without apiVersion/kind (values files; an Application body in one names value files by path).
_NO_LOOKUPS = frozenset(INDEXED_KINDS) | {"bare"}


class FileReferences(NamedTuple):
    """The names a file defines (objects of `INDEXED_KINDS`) and mentions, and whether it names files by path."""

    provides: frozenset[str]
    mentions: frozenset[str]
    path_references: bool


NO_REFERENCES = FileReferences(frozenset(), frozenset(), False)


def names_files_by_path(text: str) -> bool:
    """True when a YAML text may name other inputs by path (Argo CD valueFiles, kustomize generators)."""
    return PATH_REFERENCE_KEY in text or GENERATOR_KEY in text


def file_references(yf: YamlFile) -> FileReferences:
    """Names defined by the file's `INDEXED_KINDS` objects and the `name:` values of its other documents."""
    provides: set[str] = set()
    mentions: set[str] = set()
    path_refs = False
    for doc in yf.documents:
        root = doc.root
        if not isinstance(root, MapNode):
            continue
        kind = classify(doc).kind
        if kind in INDEXED_KINDS:
            provides.add(str(text_of(node_at(root, "metadata.name"))))
        if kind in _NO_LOOKUPS:
            continue
        # Every node of the document, each once (an alias shares its anchor's node, which is
        # written, hence reached, in the same document), iteratively.
        seen: set[int] = set()
        stack: list[Any] = [root]
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is MapNode:
                if id(node) in seen:
                    continue
                seen.add(id(node))
                name = text_of(node.get("name"))  # merges applied, as the lookups read it
                if name is not None:
                    mentions.add(name)
                if PATH_REFERENCE_KEY in node:
                    path_refs = True
                stack += [v for _, v in node.entries]
            elif cls is SeqNode:
                if id(node) in seen:
                    continue
                seen.add(id(node))
                stack += node.items
    return FileReferences(frozenset(provides), frozenset(mentions), path_refs)


def linked_units(references: dict[int, FileReferences]) -> list[list[int]]:
    """Groups of two or more files (by index) linked by a name one defines and another mentions, in file order."""
    if any(r.path_references for r in references.values()):
        return [sorted(references)]
    providers: dict[str, list[int]] = {}
    for i, r in references.items():
        for name in r.provides:
            providers.setdefault(name, []).append(i)
    parent = {i: i for i in references}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, r in references.items():
        for name in r.mentions:
            for j in providers.get(name, ()):
                if j != i:
                    parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in sorted(references):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
