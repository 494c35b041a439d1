"""What each YAML document is: an object by its apiVersion/kind, or chart values, or Application bodies."""

from __future__ import annotations

from redislint.discover import DocKind, has_app_bodies
from redislint.discover import classify as object_kind
from redislint.kinds.registry import kind_for_umbrella, kind_for_values
from redislint.sources import MapNode, YamlDocument


def classify(doc: YamlDocument) -> DocKind:
    """Decide what a document is; unknown Kubernetes objects are `other`.

    A mapping without apiVersion and kind is `values` when a deployment kind recognises its shape (or
    an umbrella chart's block of it), else `appspec` when it holds Argo CD Application bodies
    (ApplicationSet templates rendered elsewhere, app-of-apps values), else `other`.
    """
    found = object_kind(doc)
    if found.kind != "bare":
        return found
    root = doc.root
    assert isinstance(root, MapNode)
    if kind_for_values(root) is not None or kind_for_umbrella(root) is not None:
        return DocKind("values")
    if has_app_bodies(root):
        return DocKind("appspec")
    return DocKind("other")
