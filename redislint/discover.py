"""Recognise what each YAML document is: HelmRelease, Argo CD Application, ConfigMap, values file, or nothing.

Also finds, among the inputs, the objects and files a wrapper refers to (`InputIndex`, `data_value`).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import os
import posixpath
import re
from typing import NamedTuple

from redislint.model import Span
from redislint.sources import EmbeddedText, MapNode, Node, ScalarNode, YamlDocument, YamlFile, node_at

FLUX_API = re.compile(r"^helm\.toolkit\.fluxcd\.io/v2(beta[12])?$|^helm\.fluxcd\.io/v1$|^flux\.weave\.works/v1beta1$")
ARGO_API = re.compile(r"^argoproj\.io/")

# Top-level keys only the Bitnami redis/valkey charts use; two of them make a values file ours.
BITNAMI_KEYS = {"architecture", "commonConfiguration", "master", "replica", "sentinel", "primary",
                "existingConfigmap", "auth", "volumePermissions", "sysctl", "cluster", "slave", "configmap",
                "usePassword"}
ROLE_HINTS = {"configuration", "persistence", "resources", "resourcesPreset", "extraFlags", "replicaCount",
              "disableCommands", "count", "kind", "podSecurityContext", "configmap"}
REDIS_HA_HINTS = {"haproxy", "persistentVolume", "hardAntiAffinity", "splitBrainDetection", "exporter"}


def text_of(node: Node | None) -> str | None:
    """A scalar's string form, or None."""
    return str(node.text) if isinstance(node, ScalarNode) and node.value is not None else None


class DocKind(NamedTuple):
    """What a document is, by apiVersion/kind or by shape."""

    kind: str  # HelmRelease, Application, ConfigMap, OCIRepository, values, other
    api_version: str = ""


def classify(doc: YamlDocument) -> DocKind:
    """Decide what a document is; unknown Kubernetes objects are `other`."""
    root = doc.root
    if not isinstance(root, MapNode):
        return DocKind("other")
    api = text_of(root.get("apiVersion")) or ""
    kind = text_of(root.get("kind")) or ""
    if kind == "HelmRelease" and (FLUX_API.match(api) or api.startswith("helm.")):
        return DocKind("HelmRelease", api)
    if kind == "Application" and ARGO_API.match(api):
        return DocKind("Application", api)
    if kind in ("ConfigMap", "Secret") and api == "v1":
        return DocKind(kind, api)
    if kind == "OCIRepository":
        return DocKind("OCIRepository", api)
    if kind in ("StatefulSet", "Deployment") and api.startswith("apps/"):
        return DocKind("Workload", api)
    if api or kind:
        return DocKind("other", api)
    return DocKind("values") if values_chart(root) else DocKind("other")


def values_chart(root: MapNode) -> str | None:
    """Which chart a bare values mapping is for, judging by its shape; None if it is not Redis values."""
    keys = {str(k.text) for k, _ in root.items()}
    if "redis" in keys and isinstance(root.get("redis"), MapNode):
        inner = root.get("redis")
        assert isinstance(inner, MapNode)
        inner_keys = {str(k.text) for k, _ in inner.items()}
        if inner_keys & {"config", "customConfig"} and (keys & REDIS_HA_HINTS or "replicas" in keys):
            return "redis-ha"
    hits = keys & BITNAMI_KEYS
    role_maps = [k for k in ("master", "replica", "primary", "slave") if isinstance(root.get(k), MapNode)]
    role_hits = any({str(k.text) for k, _ in root.get(r).items()} & ROLE_HINTS for r in role_maps)  # type: ignore[union-attr]
    strong = keys & {"architecture", "commonConfiguration", "existingConfigmap"}
    if strong or (role_hits and len(hits) >= 1):
        return "bitnami/valkey" if "primary" in keys else "bitnami/redis"
    return None


def metadata_name(root: MapNode) -> str:
    """namespace/name of a Kubernetes object (name alone without a namespace)."""
    name = text_of(node_at(root, "metadata.name")) or "?"
    ns = text_of(node_at(root, "metadata.namespace"))
    return f"{ns}/{name}" if ns else name


_CONF_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s")


def looks_like_redis_conf(text: str) -> bool:
    """True when at least two non-comment lines start with a known Redis directive."""
    from redislint.redisconf import DirectiveTable, RedisVersion

    table = DirectiveTable.for_version(RedisVersion.newest("redis"))
    hits = 0
    for line in text.splitlines():
        m = _CONF_LINE.match(line + " ")
        if m and table.lookup(m.group(1)) is not None:
            hits += 1
            if hits >= 2:
                return True
    return False


# --------------------------------------------------------------------------------------------
# Objects and files that a HelmRelease or Application refers to, looked up among the inputs.
#
# A Flux `valuesFrom` names a ConfigMap or Secret in the release's namespace; a `chartRef` names an
# OCIRepository; an Argo CD `valueFiles` entry is a path inside a repository. None of them is
# fetched: only files given on the command line are used, and what is missing is reported (RL003).

class InputIndex:
    """Named objects of the inputs, the files by path, and what has been consumed by a wrapper."""

    __slots__ = ("objects", "files", "used_as_values", "_paths")

    def __init__(self, files: list[YamlFile] | None = None) -> None:
        self.objects: dict[tuple[str, str], list[YamlDocument]] = {}  # (kind, name)
        self.files = files if files is not None else []
        self.used_as_values: set[int] = set()
        self._paths: list[tuple[tuple[str, ...], YamlFile]] | None = None  # absolute path parts, built on first use

    @classmethod
    def build(cls, yaml_files: list[YamlFile]) -> "InputIndex":
        """Index ConfigMaps, Secrets and OCIRepositories by kind and name."""
        idx = cls(list(yaml_files))
        for f in yaml_files:
            for doc in f.documents:
                kind = classify(doc).kind
                if kind in ("ConfigMap", "Secret", "OCIRepository"):
                    assert isinstance(doc.root, MapNode)
                    name = text_of(node_at(doc.root, "metadata.name"))
                    if name:
                        idx.objects.setdefault((kind, name), []).append(doc)
        return idx

    def lookup(self, kind: str, name: str, namespace: str | None) -> YamlDocument | None:
        """The object `kind`/`name` in `namespace`; an object or a reference without a namespace matches any."""
        candidates = self.objects.get((kind, name), [])
        loose = None
        for doc in candidates:
            ns = text_of(node_at(doc.root, "metadata.namespace"))
            if ns == namespace:
                return doc
            if loose is None and (ns is None or namespace is None):
                loose = doc
        return loose

    def find_files(self, relative: str) -> list[YamlFile]:
        """Inputs whose path ends with `relative` (components compared; `*` globs allowed), in name order."""
        want = _parts(relative)
        if not want:
            return []
        glob = any(ch in relative for ch in "*?[")
        if self._paths is None:
            self._paths = [(_file_parts(f.path), f) for f in self.files]
        out = []
        for parts, f in self._paths:
            if len(parts) < len(want):
                continue
            tail = parts[len(parts) - len(want):]
            if tail == want or (glob and all(fnmatch.fnmatchcase(p, w) for p, w in zip(tail, want))):
                out.append(f)
        return sorted(out, key=lambda f: f.path) if glob else out


def _parts(path: str) -> tuple[str, ...]:
    """Components of a relative path, normalised; leading `..` (above the repository root) dropped."""
    norm = posixpath.normpath(path.replace("\\", "/"))
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    while parts and parts[0] == "..":
        parts.pop(0)
    return tuple(parts)


def _file_parts(path: str) -> tuple[str, ...]:
    """Components of an input file's absolute path (nothing for standard input)."""
    if path in ("-", "<stdin>"):
        return ()
    return _parts(os.path.abspath(path))


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
