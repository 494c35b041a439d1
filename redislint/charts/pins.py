"""Chart versions that other inputs pin for a values file checked on its own.

The common Flux layout keeps the chart's values in a plain file next to a `kustomization.yaml` whose
`configMapGenerator` turns it into the ConfigMap a HelmRelease reads with `valuesFrom`. The values
file is then checked on its own (the generated ConfigMap is not among the inputs), but the
HelmRelease says which chart version reads it: that version range is evidence for the values file's
chart version (`version_evidence`).
"""

from __future__ import annotations

import os
import posixpath
from typing import NamedTuple

from redislint.charts.version_evidence import Pin
from redislint.discover import InputIndex, classify, metadata_name, text_of
from redislint.sources import MapNode, ScalarNode, SeqNode, YamlFile, node_at
from redislint.wrappers.flux import flux_chart

KUSTOMIZE_API = "kustomize.config.k8s.io/"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


class ChartPin(NamedTuple):
    """A version constraint for the values file at a path, and the chart it is for."""

    chart_name: str  # as the HelmRelease writes it ("redis", "oci://…/valkey")
    pin: Pin


def _is_kustomization(f: YamlFile, root: MapNode) -> bool:
    api = text_of(root.get("apiVersion")) or ""
    if api.startswith(KUSTOMIZE_API):
        return True
    return not api and os.path.basename(f.path) in KUSTOMIZATION_FILES


def _generated(yaml_files: list[YamlFile]) -> dict[tuple[str, str], tuple[str, str]]:
    """(ConfigMap name, data key) -> (absolute path of the file it is made from, kustomization path)."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for f in yaml_files:
        if f.path in ("-", "<stdin>"):
            continue
        base = os.path.dirname(os.path.abspath(f.path))
        for doc in f.documents:
            root = doc.root
            if not isinstance(root, MapNode) or not _is_kustomization(f, root):
                continue
            generators = root.get("configMapGenerator")
            if not isinstance(generators, SeqNode):
                continue
            for gen in generators.items:
                name = text_of(gen.get("name")) if isinstance(gen, MapNode) else None
                files = gen.get("files") if isinstance(gen, MapNode) else None
                if not name or not isinstance(files, SeqNode):
                    continue
                for item in files.items:
                    if not isinstance(item, ScalarNode) or not text_of(item):
                        continue
                    key, sep, rel = str(item.text).partition("=")
                    rel = rel if sep else key
                    key = key if sep else posixpath.basename(rel)
                    out[(name, key)] = (os.path.normpath(os.path.join(base, rel)), f.path)
    return out


def values_file_pins(yaml_files: list[YamlFile], idx: InputIndex) -> dict[str, tuple[ChartPin, ...]]:
    """Pins by the absolute path of the values file they are for (empty when nothing links them)."""
    if not any("configMapGenerator" in f.text for f in yaml_files):
        return {}
    generated = _generated(yaml_files)
    if not generated:
        return {}

    out: dict[str, list[ChartPin]] = {}
    for f in yaml_files:
        for doc in f.documents:
            root = doc.root
            if not isinstance(root, MapNode) or classify(doc).kind != "HelmRelease":
                continue
            items = node_at(root, "spec.valuesFrom")
            if not isinstance(items, SeqNode):
                continue
            chart = flux_chart(root, idx, doc.path)
            chart_name, constraint = chart.name, chart.constraint
            if not chart_name or constraint is None:
                continue
            for item in items.items:
                if not isinstance(item, MapNode) or (text_of(item.get("kind")) or "ConfigMap") != "ConfigMap":
                    continue
                if text_of(item.get("targetPath")):
                    continue  # one value, not the file
                name = text_of(item.get("name")) or ""
                key = text_of(item.get("valuesKey")) or "values.yaml"
                found = generated.get((name, key))
                if found is None:
                    continue
                path, kustomization = found
                by = (f"HelmRelease {metadata_name(root)} (valuesFrom ConfigMap {name}, which {kustomization} "
                      "generates from this file)")
                out.setdefault(path, []).append(ChartPin(chart_name, Pin(constraint, by)))
    return {p: tuple(pins) for p, pins in out.items()}
