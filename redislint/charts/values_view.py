"""Helm values as layers (chart defaults < valuesFrom < inline values), looked up with Helm's merge rules.

Also builds the layer that `--set`-style assignments make (Argo CD parameters, Flux targetPath).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from redislint.model import Span
from redislint.sources import MapNode, Node, ScalarNode, SeqNode, to_plain


class ValuesLayer(NamedTuple):
    """One source of values: a mapping node and a name for provenance ("spec.values", "ConfigMap redis")."""

    name: str
    root: MapNode
    # Key prefix under which the chart's values sit in this layer (umbrella charts: ("redis",)).
    prefix: tuple[str, ...] = ()
    # Built from `--set`-style paths (Argo CD parameters, Flux targetPath): its maps were not written
    # as blocks by anyone, so findings about absent keys prefer a block written elsewhere.
    assigned: bool = False
    # A layer that exists but was not read (a valuesFrom ConfigMap or a valueFiles file that is not
    # among the inputs): `root` is empty, and this says what it is. Whatever it holds overrides every
    # layer below it, so what those layers (and the chart defaults) set is not settled.
    unseen: str = ""


def unseen_layer(what: str, where: Span) -> ValuesLayer:
    """A placeholder for values that exist but were not read; `where` is the reference to them."""
    return ValuesLayer(what, MapNode((), where), unseen=what)


class Found(NamedTuple):
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


# The walk of one path in one layer: (state, found, below). `state` is what `_walk_keys` says:
# "found", "null" (found is the deleting key), "absent" or "blocked" (a scalar or list above the
# path). `below` is what the walk of a child path gives: a MapNode to look the key up in, a step
# every child shares (blocked under a value, absent under a document that is not a map), or None
# when children share this very outcome (below a null, an absent or a blocked key).
_Step = tuple[str, Found | None, Any]
_ABSENT: _Step = ("absent", None, None)
_BLOCKED: _Step = ("blocked", None, None)
_NOWHERE: tuple[str, Found | None] = ("absent", None)  # no layer has the path
_MAX_STEP_PATH = 256  # longer paths are walked without remembering their prefixes


def _child_step(parent: _Step, key: str, layer_name: str) -> _Step:
    """One step of Helm's lookup below `parent`: the rules of `_walk_keys`, one key at a time."""
    below = parent[2]
    if below is None:
        return parent
    if below.__class__ is not MapNode:
        return below
    child = below.get(key)  # most paths asked are absent: one lookup decides
    key_node = below.key_node(key) if child is not None else None
    if key_node is None:
        return _ABSENT
    if isinstance(child, ScalarNode):
        if child.value is None:
            # `key: null` / `key:` deletes the default in Helm.
            return "null", Found(child, key_node, layer_name), None
        return "found", Found(child, key_node, layer_name), _BLOCKED
    return "found", Found(child, key_node, layer_name), (child if isinstance(child, MapNode) else _BLOCKED)


class ValuesView:
    """Lookup of dotted paths across layers, highest priority last, with Helm's deep-merge semantics.

    Maps merge key by key; scalars and lists are replaced whole; a higher layer that sets an
    ancestor to a scalar or null hides everything below it (Helm deletes a key set to null).
    """

    def __init__(self, layers: list[ValuesLayer]) -> None:
        self.layers = layers
        # get() and is_null() by path: charts and rules ask for the same paths again and again (the
        # layers are fixed once the view is made, and Found is immutable). Both are decided by the
        # highest layer that says anything about the path, so one walk answers both.
        self._winners: dict[str | tuple[str, ...], tuple[str, Found | None]] = {}
        # Per layer (by id; self.layers keeps it alive): the walk of its chart root (layer.prefix)
        # and of every dotted path below it asked so far. Sibling paths (`master.persistence.size`,
        # `master.persistence.path`) share the walk of their parent.
        self._steps: dict[int, tuple[_Step, dict[str, _Step]]] = {}

    def _walk_keys(self, layer: ValuesLayer, keys: tuple[str, ...]) -> tuple[str, Found | None]:
        """The walk of `keys` below `layer.prefix`, key by key (what `_walk` remembers, step by step)."""
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

    def _walk(self, layer: ValuesLayer, path: str) -> _Step:
        """The walk of dotted `path` in one layer; its state is found, null, absent or blocked.

        The same as walking `path.split(".")` key by key (a split never yields a key with a dot,
        so a dotted string names exactly one walk), but each prefix is walked once per view.
        """
        root, steps = self._steps.get(id(layer)) or self._layer_steps(layer)
        step = steps.get(path)
        if step is not None:
            return step
        if len(path) > _MAX_STEP_PATH:
            # Remembering every prefix of a long path (a values-path annotation of any length) would
            # cost its length squared: walk it key by key instead.
            state, found = self._walk_keys(layer, tuple(path.split(".")))
            return state, found, None
        cut = path.rfind(".")
        if cut < 0:
            parent = root
        else:
            parent = steps.get(path[:cut]) or self._walk_down(root, steps, path[:cut], layer.name)
        step = steps[path] = _child_step(parent, path[cut + 1:], layer.name)
        return step

    @staticmethod
    def _walk_down(root: _Step, steps: dict[str, _Step], path: str, layer_name: str) -> _Step:
        """Walk `path` from its nearest walked prefix (the root at worst), remembering every step."""
        pending: list[tuple[str, str]] = []
        prefix = path
        step = None
        while step is None:
            cut = prefix.rfind(".")
            pending.append((prefix, prefix[cut + 1:]))
            if cut < 0:
                step = root
            else:
                prefix = prefix[:cut]
                step = steps.get(prefix)
        for walked, key in reversed(pending):
            step = steps[walked] = _child_step(step, key, layer_name)
        return step

    def _layer_steps(self, layer: ValuesLayer) -> tuple[_Step, dict[str, _Step]]:
        """The walk of the layer's chart root (below `layer.prefix`) and its memo of paths."""
        state, found = self._walk_keys(layer, ())
        if state != "found":
            root: _Step = (state, found, None)
        else:
            assert found is not None
            node = found.node
            # Below a non-map: nothing when it is the document itself, blocked under a prefix.
            root = state, found, node if isinstance(node, MapNode) else (_BLOCKED if layer.prefix else _ABSENT)
        hit = self._steps[id(layer)] = (root, {})
        return hit

    def _winner(self, path: str | tuple[str, ...]) -> tuple[str, Found | None]:
        """The walk of `path` in the highest layer that does not lack it; ("absent", None) if none."""
        winner = self._winners.get(path)
        if winner is None:
            winner = _NOWHERE
            for layer in reversed(self.layers):
                if isinstance(path, str):
                    state, found, _ = self._walk(layer, path)
                else:
                    state, found = self._walk_keys(layer, path)
                if state != "absent":
                    winner = state, found
                    break
            self._winners[path] = winner
        return winner

    @property
    def unseen(self) -> tuple[ValuesLayer, ...]:
        """The layers that exist but were not read."""
        return tuple(layer for layer in self.layers if layer.unseen)

    def settled(self, path: str) -> bool:
        """Whether the value at `path` is known whatever the unseen layers hold: some layer above every
        unseen layer writes it (or something above it), so nothing below can change it."""
        for layer in reversed(self.layers):
            if layer.unseen:
                return False
            state, _, _ = self._walk(layer, path)
            if state != "absent":
                return True
        return not self.unseen

    def settled_layers(self) -> tuple[ValuesLayer, ...]:
        """The layers above the highest unseen layer: what they write is in force whatever it holds."""
        out: list[ValuesLayer] = []
        for layer in reversed(self.layers):
            if layer.unseen:
                break
            out.append(layer)
        return tuple(reversed(out))

    def get(self, path: str | tuple[str, ...]) -> Found | None:
        """The winning user-written value at `path`, or None (chart default applies)."""
        state, found = self._winner(path)
        return found if state == "found" else None

    def is_null(self, path: str) -> Found | None:
        """The key that deletes `path` with an explicit null, if the winning layer does that."""
        state, found = self._winner(path)
        return found if state == "null" else None

    def value(self, path: str, default: Any = None) -> Any:
        """Plain value at `path`, or `default` when nobody set it."""
        found = self.get(path)
        return default if found is None else found.value

    def children(self, path: str) -> dict[str, tuple[Node, Node, str]]:
        """Every child key directly under a map path, merged over layers, as (key node, value node,
        layer name): `keys_under` without a Found per key, for callers that need few of them."""
        out: dict[str, tuple[Node, Node, str]] = {}
        for layer in self.layers:
            if path:
                state, found, _ = self._walk(layer, path)
                node = found.node if state == "found" and found else None
            else:
                node = layer.root
                for k in layer.prefix:
                    node = node.get(k) if isinstance(node, MapNode) else None
            if isinstance(node, MapNode):
                name = layer.name
                for key_node, child in node.items():
                    out[str(key_node.text)] = (key_node, child, name)
            elif path and found is not None and state == "null":
                out.clear()
        return out

    def keys_under(self, path: str) -> list[tuple[str, Found]]:
        """Every (child key, found) directly under a map path, merged over layers."""
        return [(key, Found(child, key_node, layer))  # type: ignore[arg-type]
                for key, (key_node, child, layer) in self.children(path).items()]

    def anchor(self, *paths: str) -> Span | None:
        """The span of the first of `paths` someone wrote (for findings about absent keys).

        A block (`master:`) that exists only because a parameter set `master.extraFlags[0]` is not a
        place to add a directive: the same block written in a values layer is preferred.
        """
        assigned = {layer.name for layer in self.layers if layer.assigned}
        for p in paths:
            found = self.get(p) if p else None
            if found is None:
                continue
            if found.layer in assigned and isinstance(found.node, MapNode):
                written = ValuesView([layer for layer in self.layers if not layer.assigned]).get(p)
                if written is not None:
                    return written.key_span
            return found.key_span
        return None


# --------------------------------------------------------------------------------------------
# Values set one path at a time: Argo CD `helm.parameters[]` and Flux `valuesFrom[].targetPath`.
#
# Both go through Helm's `--set` parser (`helm.sh/helm/v3/pkg/strvals`): the name is a dotted path
# (`master.persistence.size`, `a\.b` for a dot inside a key, `extraFlags[0]` for a list item) and an
# unquoted value is typed the way `typedVal` does it: `true`/`false` are booleans, `null` deletes the
# key, a base-10 integer without a leading zero is an int64, anything else is a string. `forceString`
# (Argo CD `--set-string`) and quoted values (Flux) stay strings. Argo CD passes a value written as
# `{a,b}` unescaped, which Helm reads as a list.
#
# `SetLayer.build` turns the assignments into a values mapping whose nodes point at the places the
# values are written, so a value layer made of parameters behaves like any other values file.

PathPart = str | int

_INDEX_RE = re.compile(r"\[(\d+)\]")
# strvals refuses list indexes above this (`index of %d is greater than maximum supported index`).
MAX_INDEX = 65536
# Deeper paths are not values anyone writes; refusing them keeps the tree builder's recursion bounded.
MAX_SET_DEPTH = 100


def parse_set_path(name: str) -> list[PathPart] | None:
    """`master.persistence.size` -> ["master", "persistence", "size"]; `a[1].b` -> ["a", 1, "b"].

    A backslash escapes the next character (`commonAnnotations.prometheus\\.io/scrape`). None when
    the path is empty or malformed (an unclosed `[`, an empty key).
    """
    parts: list[PathPart] = []
    key: list[str] = []
    i, n = 0, len(name)
    pending_key = True  # a key must come before the next `.`
    while i < n:
        c = name[i]
        if c == "\\" and i + 1 < n:
            key.append(name[i + 1])
            i += 2
            continue
        if c == ".":
            if not key and pending_key:
                return None
            if key:
                parts.append("".join(key))
                key = []
            pending_key = True
            i += 1
            continue
        if c == "[":
            m = _INDEX_RE.match(name, i)
            if m is None or (not key and not parts) or (m.end() < n and name[m.end()] not in ".["):
                return None
            if key:
                parts.append("".join(key))
                key = []
            index = int(m.group(1))
            if index > MAX_INDEX:
                return None
            parts.append(index)
            pending_key = False
            i = m.end()
            continue
        key.append(c)
        pending_key = True
        i += 1
    if key:
        parts.append("".join(key))
    elif pending_key and parts and not isinstance(parts[-1], int):
        return None  # trailing dot
    if len(parts) > MAX_SET_DEPTH:
        return None
    return parts or None


def typed_value(text: str, force_string: bool = False) -> Any:
    """Helm strvals `typedVal`: the value `--set name=text` stores."""
    if force_string:
        return text
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered == "null":
        return None
    if text == "0":
        return 0
    if text and text[0] != "0" and re.fullmatch(r"[+-]?\d+", text):
        value = int(text)
        if -(2**63) <= value < 2**63:
            return value
    return text


def split_list_value(text: str) -> list[str] | None:
    """`{a,b,c}` -> ["a", "b", "c"] (Helm's list syntax, commas escaped with `\\,`); None otherwise."""
    if not (text.startswith("{") and text.endswith("}")) or len(text) < 2:
        return None
    inner = text[1:-1]
    if not inner:
        return []  # `--set a={}` is an empty list
    items: list[str] = []
    cur: list[str] = []
    i = 0
    while i < len(inner):
        c = inner[i]
        if c == "\\" and i + 1 < len(inner):
            cur.append(inner[i + 1])
            i += 2
            continue
        if c == ",":
            items.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    items.append("".join(cur))
    return items


_TAGS = {bool: "!!bool", int: "!!int", type(None): "!!null", str: "!!str"}


def value_node(value: Any, text: str, span: Span, source: ScalarNode | None = None) -> Node:
    """A node for a typed `--set` value at `span`; the file's own node when it holds that very string.

    Reusing the file's node keeps the line mapping of a multi-line `value: |` block, so a directive
    inside an Argo CD parameter still points at its own line.
    """
    if isinstance(value, list):
        return SeqNode(tuple(value_node(v, str(v), span) for v in value), span)
    if source is not None and isinstance(source.value, str) and source.value == value:
        return source
    shown = text if isinstance(value, str) else ("true" if value is True else "false" if value is False
                                                  else "null" if value is None else str(value))
    return ScalarNode(value, shown, "", _TAGS.get(type(value), "!!str"), span)


class _Slot:
    """One key (or list index) of the tree being built: its span and either a leaf or children."""

    __slots__ = ("span", "leaf", "children")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.leaf: Node | None = None
        self.children: dict[PathPart, _Slot] | None = None


class SetLayer:
    """Assignments applied in order, later ones winning, as successive `--set` flags are."""

    __slots__ = ("anchor", "_root", "count")

    def __init__(self, anchor: Span) -> None:
        self.anchor = anchor
        self._root: dict[PathPart, _Slot] = {}
        self.count = 0

    def set(self, path: list[PathPart], node: Node, key_span: Span) -> None:
        """Store `node` at `path`; intermediate keys point at `key_span`."""
        level = self._root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            slot = level.get(part)
            if slot is None or last:
                slot = _Slot(key_span)
                level[part] = slot
            if last:
                slot.leaf = node
                slot.children = None
            else:
                if slot.children is None:
                    # A scalar set earlier at this key is replaced by the deeper assignment.
                    slot.leaf = None
                    slot.children = {}
                level = slot.children
        self.count += 1

    def build(self) -> MapNode:
        """The assignments as a values mapping."""
        return self._map(self._root, self.anchor)

    def _map(self, level: dict[PathPart, _Slot], span: Span) -> MapNode:
        entries = []
        for key, slot in level.items():
            if isinstance(key, int):
                continue  # an index under a map: strvals fails; nothing is set
            entries.append((ScalarNode(key, key, "", "!!str", slot.span), self._node(slot)))
        return MapNode(tuple(entries), span)

    def _node(self, slot: _Slot) -> Node:
        if slot.children is None:
            return slot.leaf if slot.leaf is not None else ScalarNode(None, "null", "", "!!null", slot.span)
        if slot.children and all(isinstance(k, int) for k in slot.children):
            # `a[2]=x` on a fresh list: strvals pads the missing items with null.
            size = max(int(k) for k in slot.children) + 1
            items = [self._node(slot.children[i]) if i in slot.children
                     else ScalarNode(None, "null", "", "!!null", slot.span) for i in range(size)]
            return SeqNode(tuple(items), slot.span)
        return self._map(slot.children, slot.span)
