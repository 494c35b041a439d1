"""YAML nodes with exact spans: the only tree the rest of redislint sees.

Immutable, built once by `yaml_loader`. Values follow Helm's reading of YAML (see
`scalars`). Aliases are resolved by sharing: a node reached through `*ref` is the very node the
`&ref` anchor defined, so its span points at the definition.

Mapping keys are compared the way Helm compares them: as strings (`yes:` and `true:` are both
the key `"true"`, `1:` and `"1":` are both `"1"`). `MapNode.entries` keeps every pair as
written, duplicates and `<<` merge keys included; `get`, `key_node` and `items` give the
effective view (merges applied, the later duplicate wins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.model import Span
from redislint.sources import scalars
from redislint.sources.embedded import EmbeddedText, scalar_embedded

if TYPE_CHECKING:
    from redislint.sources.positions import Locator

_QUOTES = ('"', "'")


@dataclass(frozen=True, slots=True)
class ScalarNode:
    """A scalar: `value` as Helm reads it, `text` as written (unescaped), `style`, short `tag`.

    `style` is `''` (plain), `'"'`, `"'"`, `'|'` or `'>'`. `tag` is the resolved short tag
    (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!timestamp`, `!!merge`) or an explicit
    unknown tag exactly as written (`!custom`, `!!python/object:os.system`).
    """

    value: Any
    text: str
    style: str
    tag: str
    span: Span
    _loc: Locator | None = field(default=None, compare=False, repr=False)
    _start: int = field(default=-1, compare=False, repr=False)
    _end: int = field(default=-1, compare=False, repr=False)

    def embedded(self) -> EmbeddedText:
        """The string value as lines, each mapped to its own file position when possible."""
        if self._loc is not None:
            return scalar_embedded(self._loc, self._start, self._end, self.text, self.style,
                                   self.span)
        s = self.span
        quotes = 2 if self.style in _QUOTES else 0
        # Map the text onto the line only when it is what the span holds (a complex key's text is
        # its JSON form, `[null]` for `? -`, and an escaped quoted value is longer in the file).
        if "\n" not in self.text and s.line == s.end_line and self.style not in ("|", ">") \
                and s.end_column - s.column in (len(self.text), len(self.text) + quotes):
            return EmbeddedText(self.text, s.path, ((s.line, s.column + quotes // 2),), s)
        return EmbeddedText(self.text, s.path, None, s, self.style == ">")


def node_key(node: Node) -> Any:
    """The key Helm uses for a mapping key node (a string for scalars)."""
    if node.__class__ is ScalarNode:
        v = node.value
        return v if v.__class__ is str else scalars.key_string(v)
    return ("<complex key>", id(node))


def _lookup_key(key: Any) -> Any:
    return key if key.__class__ is str else scalars.key_string(key)


def _is_merge(node: Node) -> bool:
    return node.__class__ is ScalarNode and node.tag == scalars.MERGE


def build_index(entries: Iterable[tuple[ScalarNode, Node]],
                on_duplicate: Callable[[Node, Node], None] | None = None,
                on_bad_merge: Callable[[Node], None] | None = None) -> dict:
    """Effective `{key: (key_node, value_node)}` of a mapping, as go-yaml v2 builds it.

    Entries apply in order and a later duplicate wins. A `<<` merge key applies the merged
    mapping(s) at its place in the order (go-yaml v2: keys written before `<<` can be
    overridden by it, keys after it override it); in a list of merged mappings the first wins.
    `on_duplicate(first_key_node, later_key_node)` is called for repeated explicit keys.
    """
    index: dict = {}
    explicit: dict | None = None  # first explicit key node per key, once a merge happened
    firsts: dict | None = None  # first key node of each repeated key
    for pair in entries:  # the entry's own (key, value) tuple is stored, not a copy: 64 bytes an entry
        k, v = pair
        if _is_merge(k):
            if explicit is None:
                explicit = {nk: kv[0] for nk, kv in index.items()}
                if firsts:
                    explicit.update(firsts)
            _apply_merge(index, v, on_bad_merge)
            continue
        nk = node_key(k)
        if explicit is None:
            prev = index.get(nk)
            if prev is not None and on_duplicate is not None:
                if firsts is None:
                    firsts = {}
                on_duplicate(firsts.setdefault(nk, prev[0]), k)
        else:
            first = explicit.get(nk)
            if first is None:
                explicit[nk] = k
            elif on_duplicate is not None:
                on_duplicate(first, k)
        index[nk] = pair
    return index


def _apply_merge(index: dict, value: Node, on_bad: Callable[[Node], None] | None) -> None:
    if value.__class__ is MapNode:
        index.update(value._index)
        return
    if value.__class__ is SeqNode:
        for item in reversed(value.items):
            if item.__class__ is MapNode:
                index.update(item._index)
            elif on_bad is not None:
                on_bad(item)
        return
    if on_bad is not None:
        on_bad(value)


@dataclass(frozen=True, slots=True)
class MapNode:
    """A mapping. `entries` as written; `get`/`key_node`/`items` give the effective view."""

    entries: tuple[tuple[ScalarNode, Node], ...]  # keys are scalars (yaml_loader turns others into text)
    span: Span
    _index: dict = field(default=None, compare=False, repr=False)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self._index is None:
            object.__setattr__(self, "_index", build_index(self.entries))

    def get(self, key: Any, default: Any = None) -> Node | Any:
        """The value node for `key` (a string; bools and numbers are matched as Helm prints them)."""
        hit = self._index.get(_lookup_key(key))
        return default if hit is None else hit[1]

    def key_node(self, key: Any) -> ScalarNode | None:
        """The key node that `get(key)` uses (the later one when a key is repeated)."""
        hit = self._index.get(_lookup_key(key))
        if hit is None or hit[0].__class__ is not ScalarNode:
            return None
        return hit[0]

    def items(self) -> list[tuple[ScalarNode, Node]]:
        """Effective `(key_node, value_node)` pairs, merges applied and duplicates resolved."""
        return list(self._index.values())

    def keys(self) -> list[Any]:
        """Effective keys as Helm sees them (strings for scalar keys)."""
        return list(self._index)

    def __contains__(self, key: Any) -> bool:
        return _lookup_key(key) in self._index

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True, slots=True)
class SeqNode:
    """A sequence."""

    items: tuple[Node, ...]
    span: Span

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Node:
        return self.items[i]


Node = ScalarNode | MapNode | SeqNode


class SourceProblem(NamedTuple):
    """A problem with the YAML itself: `RL001` syntax (and hostile input), `RL002` duplicate key."""

    code: str
    message: str
    span: Span


class YamlDocument(NamedTuple):
    """One document of a YAML stream; `index` is 0-based; `root` None for an empty document."""

    path: str
    index: int  # type: ignore[assignment]  # a field named like tuple.index; callers read it by name
    root: Node | None
    span: Span


class YamlFile(NamedTuple):
    """A parsed YAML file: the documents read before any syntax error, and the problems."""

    path: str
    text: str
    documents: tuple[YamlDocument, ...]
    problems: tuple[SourceProblem, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no syntax error (duplicate keys are not syntax errors)."""
        return not any(p.code == "RL001" for p in self.problems)


def to_plain(node: Node | None) -> Any:
    """Plain Python objects (dicts with string keys, lists, scalars), as Helm would see them.

    Iterative, so 10,000 levels of nesting are fine; a node shared through an alias becomes
    one shared object. A complex (non-scalar) key becomes the string `<complex key L:C>`.
    """
    if node is None:
        return None
    if node.__class__ is ScalarNode:
        return node.value
    memo: dict[int, Any] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        nid = id(n)
        if not done:
            if nid in memo:
                continue
            stack.append((n, True))
            if n.__class__ is MapNode:
                children = [v for _, v in n._index.values()]
            else:
                children = list(n.items)  # type: ignore[union-attr, arg-type]
            for c in reversed(children):
                if c.__class__ is not ScalarNode and id(c) not in memo:
                    stack.append((c, False))
            continue
        if nid in memo:
            continue
        if n.__class__ is MapNode:
            out: Any = {}
            for nk, (k, v) in n._index.items():
                if nk.__class__ is not str:
                    nk = f"<complex key {k.span.line}:{k.span.column}>"
                out[nk] = v.value if v.__class__ is ScalarNode else memo[id(v)]
        else:
            out = [c.value if c.__class__ is ScalarNode else memo[id(c)]
                   for c in n.items]  # type: ignore[union-attr]
        memo[nid] = out
    return memo[id(node)]


def node_at(root: Node | None, path: str | Iterable[Any]) -> Node | None:
    """The node at a dotted path (`"spec.values.master"`) or a tuple of keys, or None.

    Integer keys (or all-digit segments of a dotted path) index sequences. In a dotted path a
    key that itself contains dots is found too (`"data.values.yaml"` reaches the key
    `values.yaml` when there is no key `values`); a tuple of keys is never split.
    """
    if isinstance(path, str):
        if not path:
            return root
        return _dotted(root, path.split("."), 0)
    cur: Node | None = root
    for part in path:
        cur = _step(cur, part)
        if cur is None:
            return None
    return cur


def _step(cur: Node | None, part: Any) -> Node | None:
    if cur.__class__ is MapNode:
        return cur.get(part)
    if cur.__class__ is SeqNode:
        if isinstance(part, bool):
            return None
        if isinstance(part, int):
            idx = part
        elif isinstance(part, str) and part.isdigit():
            idx = int(part)
        else:
            return None
        items = cur.items
        return items[idx] if -len(items) <= idx < len(items) else None
    return None


def _dotted(cur: Node | None, parts: list[str], i: int) -> Node | None:
    """Follow `parts[i:]`, trying `a`, then `a.b`, ... as one key when a mapping lacks `a`."""
    while i < len(parts):
        if cur.__class__ is not MapNode:
            cur = _step(cur, parts[i])
            i += 1
            if cur is None:
                return None
            continue
        for j in range(i + 1, len(parts) + 1):
            nxt = cur.get(".".join(parts[i:j]))
            if nxt is None:
                continue
            if j == len(parts):
                return nxt
            found = _dotted(nxt, parts, j)
            if found is not None:
                return found
        return None
    return cur
