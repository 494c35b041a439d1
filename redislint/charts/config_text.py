"""Config text a chart's values hold or its templates write, as ConfLines with their provenance."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from redislint.charts.synthetic import NOWHERE, SyntheticText
from redislint.charts.templating import relabel_problems
from redislint.charts.values_view import Found
from redislint.model import Span
from redislint.redisconf import RedisVersion, parse_conf
from redislint.sources import MapNode, ScalarNode, SeqNode

__all__ = ["argv_items", "synthetic", "text_lines"]


def text_lines(found: Found | None, layer: str, version: RedisVersion, default: str | None = None,
               default_layer: str = "") -> list:
    """ConfLines of a string value the user wrote, or of the chart's default text."""
    if found is not None and isinstance(found.node, ScalarNode) and found.node.value is not None:
        embedded: Any = found.node.embedded()  # EmbeddedText is read-only; parse_conf only reads it
        lines = relabel_problems(parse_conf(embedded, layer, version))
        if embedded.folded:
            # YAML joined the lines; RL015 explains that once instead of one error per joined word.
            lines = [line._replace(problem=line.problem._replace(kind="folded")) if line.problem else line
                     for line in lines]
        return lines
    if found is not None and isinstance(found.node, MapNode):
        # The schema says string, but people write a map (bitnami/charts#28132); the chart renders
        # it as YAML text, so Redis reads `appendonly: yes` lines and refuses to start.
        rendered: list = []
        for key, value in found.node.items():
            shown = value.text if isinstance(value, ScalarNode) else "..."
            text: Any = SyntheticText(f"{getattr(key, 'text', key)}: {shown}", key.span)
            for line in relabel_problems(parse_conf(text, layer, version)):
                if line.problem is not None and line.problem.kind == "yaml-in-conf":
                    line = line._replace(problem=line.problem._replace(detail="map"))
                rendered.append(line)
        return rendered
    if default:
        return synthetic(default, default_layer or layer, version)
    return []


def synthetic(text: str, layer: str, version: RedisVersion, where: Span = NOWHERE) -> list:
    """ConfLines of text the chart writes itself; every line points at `where` (a values key, or nowhere)."""
    return list(_synthetic_lines(text, layer, version, where))


@lru_cache(maxsize=4096)
def _synthetic_lines(text: str, layer: str, version: RedisVersion, where: Span) -> tuple:
    # The chart's own lines ("port 6379", "dir /data", rename-command ...) recur in every release;
    # their ConfLines depend only on these arguments and are immutable, so parse each once.
    embedded: Any = SyntheticText(text, where)
    return tuple(parse_conf(embedded, layer, version))


def argv_items(found: Found | None) -> list[tuple[str, Span]]:
    """(word, span) of each item of a values list passed on the server's command line (`extraFlags`)."""
    if found is None or not isinstance(found.node, SeqNode):
        return []
    return [(str(item.text), item.span) for item in found.node.items if isinstance(item, ScalarNode)]
