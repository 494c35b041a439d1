"""What an operator's custom resource says about the pods it runs: resources, storage, replicas, image."""

from __future__ import annotations

from typing import Any

from redislint.charts.synthetic import NOWHERE, SyntheticText
from redislint.charts.templating import relabel_problems
from redislint.discover import text_of
from redislint.facts import Fact
from redislint.model import Span
from redislint.quantity import parse_quantity
from redislint.redisconf import ConfLine, RedisVersion, parse_conf, parse_version
from redislint.sources import MapNode, Node, ScalarNode, SeqNode, YamlDocument, node_at
from redislint.target import Unresolved


class CrReader:
    """Reads one custom resource's fields as Facts (value, the span that set it, an origin), collecting
    what cannot be read (a quantity that is not one) as Unresolved instead of guessing."""

    def __init__(self, doc: YamlDocument) -> None:
        assert isinstance(doc.root, MapNode)
        self.doc = doc
        self.root: MapNode = doc.root
        self.unresolved: list[Unresolved] = []

    def node(self, path: str) -> Node | None:
        return node_at(self.root, path)

    def text(self, path: str) -> str | None:
        return text_of(self.node(path))

    def span(self, path: str) -> Span | None:
        """The span of the value at `path` (its key's line for a block), or None when absent."""
        found = self.node(path)
        return found.span if found is not None else None

    def key_span(self, path: str) -> Span | None:
        """The span of the key that holds `path` (where a person reads the setting), or None."""
        parent, _, last = path.rpartition(".")
        holder = self.node(parent) if parent else self.root
        key = holder.key_node(last) if isinstance(holder, MapNode) else None
        return key.span if key is not None else None

    def quantity(self, path: str, what: str) -> Fact[int | None]:
        found = self.node(path)
        if isinstance(found, ScalarNode) and found.value is not None:
            try:
                return Fact(parse_quantity(str(found.text)), found.span, path)
            except ValueError as exc:
                self.unresolved.append(Unresolved(f"{path} is {found.text!r}, which is not a Kubernetes quantity "
                                                  f"({exc}); {what} checks were skipped", found.span, path))
                return Fact(None, found.span, path)
        return Fact(None, None, f"no {path}")

    def integer(self, path: str, default: int, origin_default: str) -> Fact[int]:
        found = self.node(path)
        if isinstance(found, ScalarNode) and isinstance(found.value, int) and not isinstance(found.value, bool):
            return Fact(found.value, found.span, path)
        return Fact(default, None, origin_default)

    def boolean(self, path: str, default: bool, origin_default: str) -> Fact[bool]:
        found = self.node(path)
        if isinstance(found, ScalarNode) and isinstance(found.value, bool):
            return Fact(found.value, found.span, path)
        return Fact(default, None, origin_default)

    def memory(self, resources_path: str) -> tuple[Fact[int | None], Fact[int | None], str]:
        """(request, limit, limit source) of a `resources` block; a missing block is no limit at all."""
        request = self.quantity(f"{resources_path}.requests.memory", "memory")
        limit = self.quantity(f"{resources_path}.limits.memory", "memory")
        block = self.key_span(resources_path)
        if limit.value is None and limit.span is None:
            limit = Fact(None, block, f"{resources_path} has no limits.memory" if block else f"no {resources_path}")
        return request, limit, "resources" if limit.value is not None else "none"

    def strings(self, path: str) -> list[ScalarNode]:
        """The scalar items of a list (a `customConfig:` of "name value" strings)."""
        found = self.node(path)
        return [i for i in found.items if isinstance(i, ScalarNode)] if isinstance(found, SeqNode) else []


def synthetic_lines(text: str, layer: str, version: RedisVersion, where: Span | None = None) -> list[ConfLine]:
    """Config lines an operator or image writes itself, every one pointing at the field that caused it
    (or nowhere, for what it always writes)."""
    return relabel_problems(parse_conf(SyntheticText(text, where or NOWHERE), layer, version))


def image_version(image: str | None, default_image: str, override: str | None,
                  flavor: str = "redis") -> tuple[RedisVersion, tuple[str, ...]]:
    """The Redis version a container image runs: --redis-version, else its tag, else the newest (said)."""
    shown = image or default_image
    if override:
        v = parse_version(override, flavor)  # type: ignore[arg-type]
        if v is not None:
            return v, ()
    last = shown.rsplit("/", 1)[-1].split("@", 1)[0]
    tag = last.split(":", 1)[1] if ":" in last else ""
    v = parse_version(tag, flavor) if tag else None  # type: ignore[arg-type]
    if v is not None:
        origin = f"image {shown}" if image else f"the operator's default image {shown}"
        return v, (f"{v.label} taken from {origin}",)
    newest = RedisVersion.newest(flavor)  # type: ignore[arg-type]
    return newest, (f"image {shown} names no version; assuming the newest, {newest.label}",)


def first_span(*spans: Span | None) -> Span | None:
    """The first span that exists."""
    return next((s for s in spans if s is not None), None)


def plain(node: Node | None) -> Any:
    """A scalar's value, or None."""
    return node.value if isinstance(node, ScalarNode) else None


# Rules a redis.conf-based operator kind can be judged by: the config rules, memory and storage facts of
# its pods. Left out: chart-values rules (RL101, RL103, RL307), RL403 (a Bitnami Deployment's PVC), the
# alert keys of charts (RL702), and RL601 (what user the operator's pods run as is not in the resource).
REDIS_CONF_RULES = frozenset({
    "RL003", "RL010", "RL011", "RL012", "RL013", "RL014", "RL015", "RL016", "RL017", "RL018", "RL019", "RL020",
    "RL102", "RL201", "RL202", "RL203", "RL204", "RL205", "RL206", "RL207", "RL208", "RL209", "RL210", "RL211",
    "RL301", "RL302", "RL303", "RL304", "RL305", "RL306", "RL308", "RL309", "RL401", "RL402", "RL404", "RL405",
    "RL406", "RL501", "RL502", "RL701", "RL801", "RL803",
})
