"""Recognise what each YAML document is: HelmRelease, Argo CD Application, ConfigMap, values file, or nothing.

Also finds, among the inputs, the objects and files a wrapper refers to (`InputIndex`, `data_value`).
"""

from __future__ import annotations

import base64
import binascii
import os
import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from redislint.model import Span
from redislint.redisconf import DirectiveTable, RedisVersion
from redislint.repository import find_root
from redislint.sources import (
    EmbeddedText,
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    YamlDocument,
    YamlFile,
    node_at,
)

FLUX_API = re.compile(r"^helm\.toolkit\.fluxcd\.io/v2(beta[12])?$|^helm\.fluxcd\.io/v1$|^flux\.weave\.works/v1beta1$")
ARGO_API = re.compile(r"^argoproj\.io/")
FLUX_SOURCE_API = re.compile(r"^source\.toolkit\.fluxcd\.io/")

# Keys of a `redis:` block that configure a client of some Redis, not a Redis the chart deploys.
CLIENT_KEYS = {"host", "hostname", "url", "uri", "addr", "address", "endpoint", "endpoints", "server", "servers",
               "external", "externalHost", "dsn"}
# Operators whose custom resources run Redis; redislint does not model them (RL004 says so).
OPERATOR_KINDS = {
    "redis.redis.opstreelabs.in": {"Redis", "RedisCluster", "RedisReplication", "RedisSentinel"},
    "databases.spotahome.com": {"RedisFailover"},
    "app.redislabs.com": {"RedisEnterpriseCluster", "RedisEnterpriseDatabase", "RedisEnterpriseActiveActiveDatabase"},
    "dragonflydb.io": {"Dragonfly"},
    "hyperspike.io": {"Valkey"},
    "redis.kun": {"DistributedRedisCluster", "RedisClusterBackup"},
}


def text_of(node: Node | None) -> str | None:
    """A scalar's string form, or None."""
    return str(node.text) if isinstance(node, ScalarNode) and node.value is not None else None


class DocKind(NamedTuple):
    """What a document is, by apiVersion/kind or by shape."""

    # HelmRelease, Application, ApplicationSet, ConfigMap, Secret, OCIRepository, HelmChart, Workload,
    # Operator, other; `bare` for a mapping without apiVersion and kind (chart values, Application
    # bodies: `redislint.documents.classify` tells them apart, by the deployment kinds' shapes).
    kind: str
    api_version: str = ""


def classify(doc: YamlDocument) -> DocKind:
    """What a document is by its apiVersion and kind; unknown Kubernetes objects are `other`, a mapping
    with neither is `bare`."""
    root = doc.root
    if not isinstance(root, MapNode):
        return DocKind("other")
    api = text_of(root.get("apiVersion")) or ""
    kind = text_of(root.get("kind")) or ""
    if kind == "HelmRelease" and (FLUX_API.match(api) or api.startswith("helm.")):
        return DocKind("HelmRelease", api)
    if kind in ("Application", "ApplicationSet") and ARGO_API.match(api):
        return DocKind(kind, api)
    if kind in ("ConfigMap", "Secret") and api == "v1":
        return DocKind(kind, api)
    if kind == "OCIRepository":
        return DocKind("OCIRepository", api)
    if kind == "HelmChart" and FLUX_SOURCE_API.match(api):
        return DocKind("HelmChart", api)
    if kind in ("StatefulSet", "Deployment") and api.startswith("apps/"):
        return DocKind("Workload", api)
    if kind in OPERATOR_KINDS.get(api.split("/", 1)[0], ()):
        return DocKind("Operator", api)
    if api or kind:
        return DocKind("other", api)
    return DocKind("bare")


# --------------------------------------------------------------------------------------------
# Argo CD Application bodies written without apiVersion/kind: the `spec` of an ApplicationSet
# template rendered by a chart, or the entries of an app-of-apps chart's values (argocd-apps:
# `applications: {redis: {project, source, destination}}`).

_APP_BODY_DEPTH = 4


def is_app_body(node: Node | None) -> bool:
    """A mapping with an Argo CD `source` (or `sources`) that names a repository."""
    if not isinstance(node, MapNode):
        return False
    src = node.get("source")
    if isinstance(src, MapNode) and "repoURL" in src:
        return True
    srcs = node.get("sources")
    return isinstance(srcs, SeqNode) and any(isinstance(s, MapNode) and "repoURL" in s for s in srcs.items)


class AppBody(NamedTuple):
    """An Application spec found inside a document, and the name to call it by."""

    name: str
    body: MapNode


def app_bodies(root: MapNode) -> list[AppBody]:
    """Application bodies in a document without apiVersion/kind, outermost first, in document order."""
    out: list[AppBody] = []

    def walk(node: Node, name: str, depth: int) -> None:
        if isinstance(node, MapNode):
            spec = node.get("spec")
            own = text_of(node.get("name")) or text_of(node_at(node, "metadata.name")) or name
            if is_app_body(node):
                out.append(AppBody(own, node))
                return
            if is_app_body(spec):
                out.append(AppBody(own, spec))  # type: ignore[arg-type]
                return
            if depth >= _APP_BODY_DEPTH:
                return
            for key, value in node.items():
                walk(value, str(key.text), depth + 1)
        elif isinstance(node, SeqNode) and depth < _APP_BODY_DEPTH:
            for i, item in enumerate(node.items):
                walk(item, f"{name}[{i}]", depth + 1)

    walk(root, "", 0)
    return out


def has_app_bodies(root: MapNode) -> bool:
    """True when `app_bodies` would find something (without building the list)."""
    return bool(app_bodies(root))


def metadata_name(root: MapNode) -> str:
    """namespace/name of a Kubernetes object (name alone without a namespace)."""
    name = text_of(node_at(root, "metadata.name")) or "?"
    ns = text_of(node_at(root, "metadata.namespace"))
    return f"{ns}/{name}" if ns else name


_CONF_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s")
_YAML_KEY_LINE = re.compile(r"^[A-Za-z_][\w.-]*:(\s|$)")


def looks_like_redis_conf(text: str) -> bool:
    """True when at least two non-comment lines start with a known Redis directive.

    Text that is a YAML mapping (Helm values: `master:` at the start of a line) is not a redis.conf,
    even when directives appear indented inside it (`commonConfiguration: |` blocks).
    """
    if looks_like_values_text(text):
        return False
    table = DirectiveTable.for_version(RedisVersion.newest("redis"))
    hits = 0
    for line in text.splitlines():
        m = _CONF_LINE.match(line + " ")
        if m and table.lookup(m.group(1)) is not None:
            hits += 1
            if hits >= 2:
                return True
    return False


def looks_like_values_text(text: str) -> bool:
    """True when the text is a YAML mapping (Helm values), judged by its first lines that say anything.

    A redis.conf never has a line `name:` or `name: value` at column 0 (Redis refuses such a line),
    and Helm values always start with one.
    """
    for line in text.splitlines()[:50]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        return bool(_YAML_KEY_LINE.match(line))
    return False


# --------------------------------------------------------------------------------------------
# Objects and files that a HelmRelease or Application refers to, looked up among the inputs.
#
# A Flux `valuesFrom` names a ConfigMap or Secret in the release's namespace; a `chartRef` names an
# OCIRepository or HelmChart; a workload mounts ConfigMaps and Secrets of its namespace; an Argo CD
# `valueFiles` entry is a path inside a repository. None of them is fetched: only files given on
# the command line, and context files (tracked files of the repository, given by the repository
# index), are used, and what is missing is reported (RL003).
#
# The index is the one place those references are resolved. It holds two sets of files: the
# inputs, which are checked, and context files, which are resolved against but never checked
# (no targets, no findings of their own). `build(inputs, context)`; `is_context(path)`.

# Kinds an index finds by name (`references` groups the files that define and mention them).
INDEXED_KINDS = ("ConfigMap", "Secret", "OCIRepository", "HelmChart")


class Lookup(NamedTuple):
    """The object a reference resolves to (or None), and why not when there were candidates."""

    doc: YamlDocument | None
    why: str = ""  # "" when found, or when nothing of that kind and name exists at all


class InputIndex:
    """Named objects of the inputs (and context files), the files by path, and what a wrapper consumed."""

    __slots__ = ("_by_path", "_dirs", "_roots", "context_paths", "files", "objects", "referred", "used_as_values")

    def __init__(self, files: list[YamlFile] | None = None) -> None:
        self.objects: dict[tuple[str, str], list[YamlDocument]] = {}  # (kind, name)
        self.files = files if files is not None else []  # inputs, then context files
        self.context_paths: set[str] = set()
        self.used_as_values: set[int] = set()  # ConfigMaps/Secrets read as values or config: no targets of their own
        self.referred: set[int] = set()  # every object a lookup resolved to
        self._by_path: dict[str, YamlFile] | None = None  # absolute path -> file, built on first use
        self._dirs: dict[str, str] = {}
        self._roots: dict[str, str | None] = {}

    @classmethod
    def build(cls, yaml_files: list[YamlFile], context: list[YamlFile] | tuple[YamlFile, ...] = ()) -> InputIndex:
        """Index the objects other documents refer to by name, in inputs and context files alike."""
        checked = {f.path for f in yaml_files}
        extra = [f for f in context if f.path not in checked]
        idx = cls(list(yaml_files) + extra)
        idx.context_paths = {f.path for f in extra}
        for f in idx.files:
            for doc in f.documents:
                kind = classify(doc).kind
                if kind in INDEXED_KINDS:
                    assert isinstance(doc.root, MapNode)
                    name = text_of(node_at(doc.root, "metadata.name"))
                    if name:
                        idx.objects.setdefault((kind, name), []).append(doc)
        return idx

    def is_context(self, path: str) -> bool:
        """True for a file that is resolved against but not checked."""
        return path in self.context_paths

    # -- by name ------------------------------------------------------------------------------

    def lookup(self, kind: str, name: str, namespace: str | None, referrer: str) -> Lookup:
        """The object `kind`/`name` that a document in file `referrer`, in `namespace`, means.

        An object whose namespace is written and equals the referrer's is that object. When either
        side has no namespace (kustomize or `kubectl -n` sets it), the two are taken to be the same
        object only when their files are related: the same file, or one file's directory holds the
        other's (a kustomization there lists both). Results therefore never depend on unrelated
        files given on the same command line. Among several candidates the nearest wins; a tie is
        ambiguous and resolves to nothing, with the reason.
        """
        candidates = self.objects.get((kind, name), [])
        if not candidates:
            return Lookup(None)
        ranked: list[tuple[int, int, YamlDocument]] = []
        rejected: list[str] = []
        for doc in candidates:
            ns = text_of(node_at(doc.root, "metadata.namespace"))
            distance = self.distance(doc.path, referrer)
            if ns is not None and namespace is not None:
                if ns == namespace:
                    ranked.append((0, distance if distance is not None else 1 << 20, doc))
                else:
                    rejected.append(f"{shown_path(doc.path)} is in namespace {ns}")
            elif distance is not None:
                ranked.append((1, distance, doc))
            else:
                rejected.append(f"{shown_path(doc.path)} has no namespace written (or the reference has none) and is "
                                "not in the same directory tree, so it may be another object")
        if not ranked:
            return Lookup(None, f"{kind} {name} was found, but not in this namespace: " + "; ".join(rejected[:3]))
        ranked.sort(key=lambda r: (r[0], r[1]))
        best = ranked[0]
        ties = [r[2] for r in ranked if (r[0], r[1]) == (best[0], best[1]) and r[2] is not best[2]]
        if ties and any(t.path != best[2].path for t in ties):
            where = ", ".join(shown_path(d.path) for d in [best[2], *ties][:3])
            return Lookup(None, f"several {kind}s named {name} could be meant ({where}); none was used")
        self.referred.add(id(best[2]))
        return Lookup(best[2])

    def distance(self, path: str, referrer: str) -> int | None:
        """0 for the same file, else the number of directory levels between two related files; None if unrelated."""
        if path == referrer:
            return 0
        if path in ("-", "<stdin>") or referrer in ("-", "<stdin>"):
            return None
        a, b = self._dir(path), self._dir(referrer)
        if a == b:
            return 1
        for outer, inner in ((a, b), (b, a)):
            if inner.startswith(outer.rstrip(os.sep) + os.sep):
                return 1 + inner[len(outer):].strip(os.sep).count(os.sep) + 1
        return None

    def _dir(self, path: str) -> str:
        hit = self._dirs.get(path)
        if hit is None:
            hit = self._dirs[path] = os.path.dirname(os.path.abspath(path))
        return hit

    # -- by path ------------------------------------------------------------------------------

    def repository_root(self, path: str) -> str | None:
        """The git repository that holds `path` (None outside git, or for standard input)."""
        if path in ("-", "<stdin>"):
            return None
        d = self._dir(path)
        if d not in self._roots:
            self._roots[d] = _find_root(d)
        return self._roots[d]

    def file_at(self, path: str) -> YamlFile | None:
        """The input or context file at this absolute path."""
        if self._by_path is None:
            self._by_path = {os.path.abspath(f.path): f for f in self.files if f.path not in ("-", "<stdin>")}
        return self._by_path.get(os.path.normpath(path))

    def files_under(self, base: str, pattern: str) -> list[YamlFile]:
        """Files below directory `base` whose relative path matches glob `pattern` (`**` crosses
        directories), in the order Argo CD passes them to Helm: lexical, a directory's own files first."""
        if self._by_path is None:
            self.file_at(base)
        assert self._by_path is not None
        base = os.path.normpath(base).rstrip(os.sep) + os.sep
        regex = glob_regex(pattern)
        found = []
        for full, f in self._by_path.items():
            if full.startswith(base):
                rel = full[len(base):].replace(os.sep, "/")
                if regex.fullmatch(rel):
                    found.append((rel, f))
        return [f for _, f in sorted(found, key=lambda item: _walk_order(item[0]))]

    def files_ending(self, relative: str) -> dict[str, list[YamlFile]]:
        """Files whose path ends with `relative` (globs allowed), grouped by the directory that
        `relative` is relative to; each group in Helm's order (`files_under`)."""
        want = _parts(relative)
        if not want:
            return {}
        split = next((i for i, part in enumerate(want) if is_glob(part)), len(want) - 1)
        prefix, rest = want[:split], "/".join(want[split:])
        if self._by_path is None:
            self.file_at("/")
        assert self._by_path is not None
        bases: set[str] = set()
        for full in self._by_path:
            parts = full.split(os.sep)
            for cut in range(len(parts) - 1, len(prefix), -1):
                if tuple(parts[cut - len(prefix):cut]) == prefix:
                    bases.add(os.sep.join(parts[:cut]) or os.sep)
        out: dict[str, list[YamlFile]] = {}
        for base in sorted(bases):
            found = self.files_under(base, rest)
            if found:
                out[base] = found
        return out

    def iter_context(self) -> Iterator[YamlFile]:
        """Context files (resolved against, never checked)."""
        return (f for f in self.files if f.path in self.context_paths)


def shown_path(path: str) -> str:
    """A path as messages show it: relative to the working directory when it was given absolute."""
    return os.path.relpath(path) if os.path.isabs(path) else path


@lru_cache(maxsize=1024)
def _find_root(directory: str) -> str | None:
    return find_root(directory)


def _walk_order(rel: str) -> tuple:
    """Sort key of doublestar's walk: a directory's own files (lexically) before its subdirectories."""
    parts = rel.split("/")
    return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A doublestar glob as a regular expression: `*` and `?` stay inside one path component, `**`
    crosses any number of them (zero included), `[...]` is a character class."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out))


def is_glob(text: str) -> bool:
    """True when a path holds glob characters."""
    return any(ch in text for ch in "*?[")


def _parts(path: str) -> tuple[str, ...]:
    """Components of a relative path, normalised; leading `..` (above the repository root) dropped."""
    norm = posixpath.normpath(path.replace("\\", "/"))
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    while parts and parts[0] == "..":
        parts.pop(0)
    return tuple(parts)


class DataValue(NamedTuple):
    """One key of a ConfigMap or Secret: its text (decoded), and where it is written."""

    text: str
    key_span: Span
    value_span: Span
    node: ScalarNode | None  # the file's own node when the text is written as-is (not base64)

    def embedded(self) -> EmbeddedText:
        """The text as lines; base64 data cannot be mapped line by line, so it points at the value."""
        if self.node is not None:
            return self.node.embedded()
        return EmbeddedText(self.text, self.value_span.path, None, self.value_span)


class DataProblem(Exception):
    """A key that exists but cannot be read: encrypted (SOPS) or not valid base64 text."""


def data_value(doc: YamlDocument, key: str) -> DataValue | None:
    """The value of `key` in a ConfigMap's `data` or a Secret's `stringData`/`data` (decoded)."""
    root = doc.root
    if not isinstance(root, MapNode):
        return None
    is_secret = text_of(root.get("kind")) == "Secret"
    sections = ("stringData", "data") if is_secret else ("data",)
    for section in sections:
        data = root.get(section)
        if not isinstance(data, MapNode):
            continue
        value = data.get(key)
        key_node = data.key_node(key)
        if value is None or key_node is None:
            continue
        if not isinstance(value, ScalarNode) or not isinstance(value.value, (str, int, float, bool)):
            raise DataProblem("is not a string")
        raw = str(value.text)
        if raw.startswith("ENC[") or root.get("sops") is not None:
            raise DataProblem("is encrypted (SOPS); it can only be checked after decryption")
        if is_secret and section == "data":
            try:
                text = base64.b64decode("".join(raw.split()), validate=True).decode("utf-8")
            except (binascii.Error, ValueError, UnicodeDecodeError):
                raise DataProblem("is not valid base64-encoded text") from None
            return DataValue(text, key_node.span, value.span, None)
        if isinstance(value.value, str):
            return DataValue(value.value, key_node.span, value.span, value)
        return DataValue(str(value.text), key_node.span, value.span, None)  # `replicas: 0`: the text as written
    return None
