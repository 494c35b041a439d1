"""Documents that look like a Redis deployment but yield no target, and why (RL004).

A linter that says nothing about a Redis it could not read is a silent green. Each check here
names the line that made the document look like Redis (a chart name, an image, a kind, a values
key) and the reason it could not be analysed. Only things that deploy a server count: a `redis:`
block with `host`/`url` configures a client, and exporters, UIs and sentinels are not servers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.charts.workloads import bitnami_image, redis_image
from redislint.discover import CLIENT_KEYS, OPERATOR_KINDS, text_of
from redislint.kinds.registry import KINDS, kind_for_chart, umbrella_aliases
from redislint.model import Span
from redislint.sources import (
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    SourceProblem,
    YamlDocument,
    node_at,
)

if TYPE_CHECKING:
    from redislint.targets import _Wrapper

# A chart, image or directory named after a Redis-family server.
_REDISH = re.compile(r"(^|[-_.])(redis|valkey|keydb|dragonfly)([-_.]|$)", re.IGNORECASE)


def modelled() -> str:
    """What redislint models, for RL004's messages: every chart kind, then workloads."""
    names = sorted(k.modelled or k.id for k in KINDS if k.release_targets is not None)
    return ", ".join(names) + ", and workloads that run redis-server"


class Unanalysed(NamedTuple):
    """Why a document that looks like Redis yields no target, and the line that makes it look so."""

    reason: str
    span: Span


def unanalysed_problem(u: Unanalysed) -> SourceProblem:
    """The RL004 finding, as a problem of the file (judged like RL001 and RL002)."""
    return SourceProblem("RL004", "this looks like a Redis deployment but redislint could not work out its "
                         f"configuration because {u.reason}", u.span)


def why_not_analysed(item: _Wrapper | YamlDocument) -> Unanalysed | None:
    """Why a wrapper (HelmRelease, Application source) or a document that looks like Redis has no target."""
    if isinstance(item, YamlDocument):
        return _document(item)
    return _wrapper(item)


def _last(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1].split(":", 1)[0]


def _wrapper(w: _Wrapper) -> Unanalysed | None:
    span = w.chart_span or w.doc.span
    if w.why_not:
        return Unanalysed(w.why_not, span)
    name = _last(w.chart_name)
    kind = kind_for_chart(name, w.repo_url) if name else None
    if kind is not None and kind.not_modelled is not None:
        for root in (None, *(layer.root for layer in w.layers)):
            found = kind.not_modelled(w.constraint, root)
            if found is not None:
                return Unanalysed(found[0], span)
    if name and _REDISH.search(name):
        if w.how == "assumed" and w.assumptions:
            # Only a reference's name is known: say what is missing rather than blame the chart.
            return Unanalysed(f"{w.assumptions[0].message}, and neither the values nor that name say which chart it "
                              "is", span)
        return Unanalysed(f"the chart {name} is not one redislint models (it models {modelled()})", span)
    bundled = _bundled_enabled(w.layers)
    if bundled is not None:
        alias, key = bundled
        chart = name or "this chart"
        return Unanalysed(f"{alias}.enabled turns on a {alias} that {chart} bundles, and redislint does not know that "
                          f"chart's values for it (declare them with the redislint.io/values-path annotation if "
                          f"they follow bitnami/{alias if alias != 'redis-ha' else 'redis'})", key)
    return None


def _bundled_enabled(layers: list[Any]) -> tuple[str, Span] | None:
    """(alias, span of the `enabled` key) when a layer turns on a bundled Redis whose values say nothing else."""
    for layer in reversed(layers):
        hit = _enabled_block(layer.root)
        if hit is not None:
            return hit
    return None


def _enabled_block(root: Node | None) -> tuple[str, Span] | None:
    if not isinstance(root, MapNode):
        return None
    for alias in umbrella_aliases():
        block = root.get(alias)
        if not isinstance(block, MapNode):
            continue
        enabled = block.get("enabled")
        keys = {str(k.text) for k, _ in block.items()}
        if isinstance(enabled, ScalarNode) and enabled.value is True and not keys & CLIENT_KEYS:
            key = block.key_node("enabled")
            return alias, (key.span if key is not None else block.span)
    return None


def _document(doc: YamlDocument) -> Unanalysed | None:
    root = doc.root
    if not isinstance(root, MapNode):
        return None
    kind = text_of(root.get("kind")) or ""
    api = text_of(root.get("apiVersion")) or ""
    if kind and api:
        if kind in OPERATOR_KINDS.get(api.split("/", 1)[0], ()):
            key = root.key_node("kind")
            return Unanalysed(f"it is a {kind} of the operator {api.split('/', 1)[0]}, which redislint does not "
                              f"model (it models {modelled()})", key.span if key is not None else doc.span)
        return _pod_owner(root, kind)
    for deployment in KINDS:
        found = deployment.not_modelled(None, root) if deployment.not_modelled is not None else None
        if found is not None:
            reason, keys = found
            key = next((k for k in (root.key_node(name) for name in keys) if k is not None), None)
            return Unanalysed(reason, key.span if key is not None else doc.span)
    hit = _enabled_block(root)
    if hit is not None:
        alias, span = hit
        return Unanalysed(f"{alias}.enabled turns on a {alias} bundled by a parent chart, and these values say "
                          "nothing else about it, so its chart and configuration are unknown", span)
    return None


def _containers(root: MapNode) -> list[MapNode]:
    for path in ("spec.template.spec", "spec.jobTemplate.spec.template.spec", "spec"):
        spec = node_at(root, path)
        containers = spec.get("containers") if isinstance(spec, MapNode) else None
        if isinstance(containers, SeqNode):
            return [c for c in containers.items if isinstance(c, MapNode)]
    return []


# Programs of a Redis image that are not a server: a Job that runs redis-cli deploys nothing.
_CLIENTS = re.compile(r"^(redis|valkey)-(cli|benchmark|check-aof|check-rdb|sentinel)$")
_ONE_OFF_KINDS = ("Job", "CronJob")


def _runs_a_client(argv: list[str]) -> bool:
    words = argv
    if words and words[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash", "dash") and len(words) > 2:
        words = words[2].split()
    words = [w for w in words if w != "exec"]
    return bool(words) and (bool(_CLIENTS.match(words[0].rsplit("/", 1)[-1])) or "--sentinel" in words)


def _pod_owner(root: MapNode, kind: str) -> Unanalysed | None:
    """A Pod-owning object whose container runs a Redis server image, but not one redislint can follow."""
    if kind in _ONE_OFF_KINDS:
        return None
    for c in _containers(root):
        image_node = c.get("image")
        image = text_of(image_node) or ""
        if not redis_image(image):
            continue
        span = image_node.span if image_node is not None else c.span
        argv = [str(i.text) for key in ("command", "args") if isinstance(c.get(key), SeqNode)
                for i in c.get(key).items if isinstance(i, ScalarNode)]  # type: ignore[union-attr]
        if _runs_a_client(argv):
            continue
        if kind not in ("StatefulSet", "Deployment"):
            return Unanalysed(f"its container runs {image} in a {kind or 'object'}, and redislint models Redis "
                              "only in StatefulSets and Deployments", span)
        if not argv and bitnami_image(image):
            return Unanalysed(f"{image} starts Redis through Bitnami's own scripts, which write redis.conf from "
                              "environment variables (REDIS_AOF_ENABLED, REDIS_RDB_POLICY …) that redislint does not "
                              "model", span)
        if argv:
            # Only the program is named: the rest of a command line may hold a password.
            return Unanalysed(f"the container runs {image} through `{argv[0].rsplit('/', 1)[-1]}` with a command "
                              "redislint cannot follow: only redis-server itself, or `sh -c` running a single "
                              "redis-server command, is read", span)
        return Unanalysed(f"the container runs {image} in a way redislint does not recognise", span)
    return None

