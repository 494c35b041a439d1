"""Helm values as layers (chart defaults < valuesFrom < inline values), looked up with Helm's merge rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redislint.model import Span
from redislint.sources import MapNode, Node, ScalarNode, SeqNode, to_plain


@dataclass(frozen=True, slots=True)
class ValuesLayer:
    """One source of values: a mapping node and a name for provenance ("spec.values", "ConfigMap redis")."""

    name: str
    root: MapNode
    # Key prefix under which the chart's values sit in this layer (umbrella charts: ("redis",)).
    prefix: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Found:
    """A values key a user wrote: its node, the key node, and the layer it came from."""

    node: Node
    key: ScalarNode | None
    layer: str

    @property
    def value(self) -> Any:
        """The plain Python value (Helm-interpreted scalars, dicts, lists)."""
        return to_plain(self.node)

    @property
    def span(self) -> Span:
        """Where the value is written; the key's line for maps and lists."""
        if isinstance(self.node, (MapNode, SeqNode)) and self.key is not None:
            return self.key.span
        return self.node.span

    @property
    def key_span(self) -> Span:
        """The key's own position (the line to edit when the value spans several lines)."""
        return self.key.span if self.key is not None else self.node.span


class ValuesView:
    """Lookup of dotted paths across layers, highest priority last, with Helm's deep-merge semantics.

    Maps merge key by key; scalars and lists are replaced whole; a higher layer that sets an
    ancestor to a scalar or null hides everything below it (Helm deletes a key set to null).
    """

    def __init__(self, layers: list[ValuesLayer]) -> None:
        self.layers = layers

    def _walk(self, layer: ValuesLayer, keys: tuple[str, ...]) -> tuple[str, Found | None]:
        node: Node | None = layer.root
        key_node: ScalarNode | None = None
        for i, k in enumerate(layer.prefix + keys):
            if not isinstance(node, MapNode):
                return ("blocked", None) if i > 0 else ("absent", None)
            key_node = node.key_node(k)
            child = node.get(k)
            if key_node is None:
                return "absent", None
            node = child
            if node is None or (isinstance(node, ScalarNode) and node.value is None):
                # `key: null` / `key:` deletes the default in Helm.
                return ("null", Found(node or key_node, key_node, layer.name))
            if i < len(layer.prefix) + len(keys) - 1 and not isinstance(node, MapNode):
                return "blocked", None
        assert node is not None
        return "found", Found(node, key_node, layer.name)

    def get(self, path: str | tuple[str, ...]) -> Found | None:
        """The winning user-written value at `path`, or None (chart default applies)."""
        keys = tuple(path.split(".")) if isinstance(path, str) else path
        for layer in reversed(self.layers):
            state, found = self._walk(layer, keys)
            if state == "found":
                return found
            if state in ("null", "blocked"):
                return None
        return None

    def is_null(self, path: str) -> Found | None:
        """The key that deletes `path` with an explicit null, if the winning layer does that."""
        keys = tuple(path.split("."))
        for layer in reversed(self.layers):
            state, found = self._walk(layer, keys)
            if state == "null":
                return found
            if state != "absent":
                return None
        return None

    def value(self, path: str, default: Any = None) -> Any:
        """Plain value at `path`, or `default` when nobody set it."""
        found = self.get(path)
        return default if found is None else found.value

    def keys_under(self, path: str) -> list[tuple[str, Found]]:
        """Every (child key, found) directly under a map path, merged over layers."""
        out: dict[str, Found] = {}
        keys = tuple(path.split(".")) if path else ()
        for layer in self.layers:
            if keys:
                state, found = self._walk(layer, keys)
                node = found.node if state == "found" and found else None
            else:
                node = layer.root
                for k in layer.prefix:
                    node = node.get(k) if isinstance(node, MapNode) else None
            if isinstance(node, MapNode):
                for key_node, child in node.items():
                    out[str(key_node.text)] = Found(child, key_node, layer.name)
            elif keys and found is not None and state == "null":
                out.clear()
        return list(out.items())

    def anchor(self, *paths: str) -> Span | None:
        """The span of the first of `paths` someone wrote (for findings about absent keys)."""
        for p in paths:
            found = self.get(p) if p else None
            if found is not None:
                return found.key_span
        return None
