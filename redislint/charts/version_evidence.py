"""Which chart release a deployment runs, inferred from the evidence in the inputs, and what is assumed.

The chart version decides defaults redislint relies on (the `resourcesPreset`, which values keys
exist, which Redis the default image runs). When no exact version is pinned, the releases still
possible are narrowed by the evidence, strongest first; evidence that would leave none is ignored
(and said so):

1. a version the wrapper pins: an exact version, or a range (Helm and Flux install the newest release
   that matches; no version at all means the newest);
2. the same values file pinned elsewhere among the inputs (a HelmRelease whose valuesFrom ConfigMap
   is generated from it by kustomize);
3. the shape of the keys written: the releases that read the most of them (`cluster.enabled` and
   `slave.*` up to 13.x, `architecture` and `replica.*` from 14.0.0, `primary.*` in valkey 2.0.0+ …);
4. a pinned `image.tag` of the chart's own image: the releases whose default image it is, else those
   whose default image runs that Redis version, else that Redis line.

The newest release still possible is the one whose defaults are used; the assumption says which
releases remain and why. Data: `redislint/data/charts/chart-redis-versions.tsv` (every release and
its default image tag) and the values-key tables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from redislint.assumptions import CHART_KEYS, MEMORY_DEFAULTS, REDIS_VERSION_TOPIC
from redislint.charts.values_keys import key_table
from redislint.charts.versions import (
    Version,
    describe_releases,
    format_semver,
    parse_semver,
    releases,
    resolve,
    satisfies,
)
from redislint.redisconf import RedisVersion, parse_version
from redislint.redisconf.versions import Flavor
from redislint.sources import MapNode
from redislint.sources.nodes import Node
from redislint.target import CHART_VERSION, REDIS_VERSION, Assumption

if TYPE_CHECKING:
    from redislint.charts.values_view import ValuesView
    from redislint.model import Span

UNPINNED = ("", "*", "x", "X", "latest")  # what installs the newest release
INSTALLER = {"HelmRelease": "Flux", "Application": "Argo CD"}
MAX_KEYS_NAMED = 3
_DIGEST_RE = re.compile(r"@sha256:[0-9a-f]+$")


class Evidence(NamedTuple):
    """What one piece of evidence says: the releases consistent with it, in words."""

    what: str  # "image.tag 7.2.1-debian-11-r0 is the default image of 18.0.4–18.1.2"
    releases: frozenset[Version]
    # Evidence a person often writes for another reason: an image.tag set because it differs from the
    # chart's default. It narrows the version, but a default that differs between the releases it rules
    # out (the resourcesPreset) stays an assumption.
    weak: bool = False


class Pin(NamedTuple):
    """A version constraint that another input puts on these values (a HelmRelease using this file)."""

    constraint: str
    by: str  # "HelmRelease cache/redis (via configMapGenerator redis-values in kustomization.yaml)"


class ChartVersions(NamedTuple):
    """The release whose defaults are used, the releases still possible, and what that assumes."""

    likely: Version | None
    possible: frozenset[Version]
    redis: RedisVersion
    assumptions: tuple[Assumption, ...]
    # The releases possible on the strong evidence alone (no image.tag): what a default preset is judged on.
    strongly_possible: frozenset[Version] = frozenset()

    @property
    def text(self) -> str | None:
        """"18.1.2", or None when the chart has no known release."""
        return format_semver(self.likely) if self.likely else None


def chart_versions(chart: str, kind: str, constraint: str | None, view: ValuesView, *,
                   chart_override: str | None = None, redis_override: str | None = None,
                   pins: tuple[Pin, ...] = (), unknown_because: str = "", where: Span | None = None,
                   flavor: Flavor = "redis") -> ChartVersions:
    """Infer the chart release of one deployment (see the module docstring).

    `constraint` is what the wrapper pins: None when nothing in the inputs says (a values file, an
    umbrella chart's subchart, a chartRef to an object not among the inputs), `*` when the wrapper
    pins nothing and so installs the newest. `unknown_because` says why it is None.
    """
    known = releases(chart)
    label = chart
    given = chart_override or constraint
    if not known:
        redis, origin = _redis(view, "", flavor, redis_override)
        message, topics = _with_redis(f"no release of {chart} is known", redis, origin, "", view, flavor)
        return ChartVersions(None, frozenset(), redis,
                             (Assumption(REDIS_VERSION, message, where, affects=topics),) if topics else ())
    newest = known[-1]
    everything = frozenset(r.version for r in known)
    source = " (--chart-version)" if chart_override else ""
    if given is not None and given.strip() not in UNPINNED and not _is_range(given):
        resolved = resolve(chart, given)
        likely = resolved.version or newest.version
        redis, origin = _redis(view, resolved.app_version, flavor, redis_override)
        name = "Valkey" if flavor == "valkey" else "Redis"
        if resolved.note:  # a version redislint does not know: its defaults are those of the nearest one
            topics = frozenset({CHART_KEYS}) | (frozenset({REDIS_VERSION_TOPIC}) if origin else frozenset())
            return ChartVersions(likely, frozenset({likely}), redis,
                                 (Assumption(CHART_VERSION, resolved.note, where, affects=topics),))
        if origin.startswith("unnamed"):
            message = (f"image.tag {str(view.value('image.tag'))!r} names no version; assumed {name} "
                       f"{resolved.app_version}, the default image of {chart} {format_semver(likely)}")
            return ChartVersions(likely, frozenset({likely}), redis,
                                 (Assumption(REDIS_VERSION, message, affects=frozenset({REDIS_VERSION_TOPIC})),))
        return ChartVersions(likely, frozenset({likely}), redis, ())
    if given is not None:
        # Flux and Helm install the newest release that matches; no version at all: the newest.
        matching = [r for r in known if satisfies(r.version, given)] if _is_range(given) else list(known)
        installer = INSTALLER.get(kind, "Helm")
        if given.strip() in UNPINNED:
            message = (f"no chart version pinned: {installer} installs the newest release; assumed {label} "
                       f"{format_semver(newest.version)}, the newest known")
            best = newest
        elif matching:
            best = matching[-1]
            message = (f"chart version range {given!r}{source}: {installer} installs the newest release that "
                       f"matches; assumed {label} {format_semver(best.version)}, the newest known that does")
        else:
            best = newest
            message = (f"no known {label} release matches the version range {given!r}; assumed the newest, "
                       f"{format_semver(newest.version)}")
        redis, origin = _redis(view, best.app_version, flavor, redis_override)
        message, topics = _with_redis(message, redis, origin, best.app_version, view, flavor)
        chart_assumption = Assumption(CHART_VERSION, message, where,
                                      affects=frozenset({CHART_KEYS, MEMORY_DEFAULTS}) | topics)
        return ChartVersions(best.version, frozenset({best.version}), redis, (chart_assumption,))
    # Nothing pins it here: narrow down what is possible with the evidence there is.
    possible = strong = everything
    used: list[str] = []
    ignored: list[str] = []
    for evidence in _evidence(chart, view, pins, known):
        narrowed = possible & evidence.releases
        if narrowed:
            used.append(evidence.what)  # also when it only agrees with what is known already
            possible = narrowed
            if not evidence.weak:
                strong = strong & evidence.releases
        else:
            ignored.append(evidence.what)
    likely = max(possible)
    app = next(r.app_version for r in known if r.version == likely)
    why = f" ({unknown_because})" if unknown_because else ""
    if possible == everything:
        message = (f"{label} version unknown{why}, and nothing in the values narrows it: assumed "
                   f"{format_semver(likely)}, the newest known")
    elif len(possible) == 1:
        message = f"{label} version unknown{why}: the evidence points to {format_semver(likely)}"
    else:
        message = (f"{label} version unknown{why}: the evidence leaves {describe_releases(chart, possible)}; "
                   f"assumed {format_semver(likely)}, the newest of them")
    evidence_text = tuple(used) + tuple(f"ignored, as it contradicts the rest: {w}" for w in ignored)
    redis, origin = _redis(view, app, flavor, redis_override)
    message, topics = _with_redis(message, redis, origin, app, view, flavor)
    chart_assumption = Assumption(CHART_VERSION, message, where, evidence=evidence_text,
                                  affects=frozenset({CHART_KEYS, MEMORY_DEFAULTS}) | topics)
    return ChartVersions(likely, possible, redis, (chart_assumption,), strong | possible)


def unknown_because(release) -> str:
    """Why nothing pins a release's chart version (for a `Release` whose constraint is None)."""
    if any(layer.prefix for layer in release.view.layers):
        return "a subchart: the chart that bundles it pins its version"
    if release.kind == "values":
        return "a values file does not say which release it is for"
    if release.kind == "HelmRelease":
        return "nothing among the inputs pins it"
    if release.kind == "Application":
        return "no targetRevision"
    return ""


def _is_range(constraint: str) -> bool:
    text = constraint.strip()
    return parse_semver(text) is None or bool(re.search(r"[xX*<>=~^|, ]", text))


# --------------------------------------------------------------------------------------------
# Evidence


def _evidence(chart: str, view: ValuesView, pins: tuple[Pin, ...], known) -> list[Evidence]:
    out: list[Evidence] = []
    pinned: set[Version] = set()
    named: list[str] = []
    for pin in pins:
        matching = [r.version for r in known if satisfies(r.version, pin.constraint)]
        if matching:
            pinned.add(matching[-1])  # what that release installs
            named.append(f"{pin.by} pins {pin.constraint!r}")
    if pinned:
        out.append(Evidence("; ".join(named), frozenset(pinned)))
    shape = _shape_evidence(chart, view, tuple(r.version for r in known))
    if shape is not None:
        out.append(shape)
    tag = _tag_evidence(chart, view, known)
    if tag is not None:
        out.append(tag)
    return out


def _tag_evidence(chart: str, view: ValuesView, known) -> Evidence | None:
    """Releases whose default image is the pinned image.tag (else runs its Redis version or line)."""
    tag = view.value("image.tag")
    if tag is None or isinstance(tag, (dict, list)) or not str(tag).strip():
        return None
    tag = _DIGEST_RE.sub("", str(tag).strip())
    repository = view.value("image.repository")
    if chart.startswith("bitnami/") and repository and "bitnami" not in str(repository).lower():
        return None  # another image: its tag says nothing about the chart
    exact = frozenset(r.version for r in known if r.image_tag == tag)
    if exact:
        return Evidence(f"image.tag {tag} is the default image of {chart} {describe_releases(chart, exact)}", exact,
                        weak=True)
    m = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", tag)
    if m is None:
        return None
    major, minor, patch = m.group(1), m.group(2), m.group(3)
    if patch is not None:
        same = frozenset(r.version for r in known if r.app_version == f"{major}.{minor}.{patch}")
        if same:
            return Evidence(f"image.tag {tag} runs {major}.{minor}.{patch}, the default of {chart} "
                            f"{describe_releases(chart, same)}", same, weak=True)
    line = frozenset(r.version for r in known if r.app_version.split(".")[:2] == [major, minor])
    if line:
        return Evidence(f"image.tag {tag} runs {major}.{minor}, the default of {chart} "
                        f"{describe_releases(chart, line)}", line, weak=True)
    return None


def _shape_evidence(chart: str, view: ValuesView, versions: tuple[Version, ...]) -> Evidence | None:
    """The releases that read the most of the keys written; None when every release reads them all."""
    table = key_table(chart)
    if table is None:
        return None
    everything = frozenset(versions)
    telling: list[tuple[str, frozenset[Version]]] = []
    counted: dict[str, frozenset[Version]] = {}
    for path in _written_paths(view, table):
        knowing = _knowing(chart, path, versions)
        if not knowing or knowing == everything:
            continue
        # A block that tells the version counts once, not once per key inside it; a key inside it
        # counts only when it tells more (`haproxy.exporter` in `haproxy`).
        parent = next((counted[c] for c in _ancestors(path) if c in counted), None)
        if parent is not None and knowing == parent:
            continue
        telling.append((path, knowing))
        counted[path] = knowing
    if not telling:
        return None
    score: dict[Version, int] = {}
    for _, knowing in telling:
        for v in knowing:
            score[v] = score.get(v, 0) + 1
    best = max(score.values())
    chosen = frozenset(v for v, n in score.items() if n == best)
    if chosen == everything:
        return None  # keys of different releases, as many of each: they tell nothing
    # The most telling first: the keys the fewest releases read.
    keys = [p for p, knowing in sorted(telling, key=lambda t: len(t[1])) if chosen <= knowing]
    shown = ", ".join(keys[:MAX_KEYS_NAMED]) + (f" and {len(keys) - MAX_KEYS_NAMED} more" if len(keys) > MAX_KEYS_NAMED
                                                 else "")
    return Evidence(f"the keys written ({shown}) are read by {chart} {describe_releases(chart, chosen)}", chosen)


def _ancestors(path: str) -> list[str]:
    """"a.b.c" -> ["a.b", "a"]: the nearest first."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


@lru_cache(maxsize=4096)
def _knowing(chart: str, path: str, versions: tuple[Version, ...]) -> frozenset[Version]:
    table = key_table(chart)
    assert table is not None
    return table.releases_knowing(path, versions)


def _written_paths(view: ValuesView, table) -> list[str]:
    """Dotted paths the values write (maps and leaves) that some release of the chart knows, in file
    order, not below freeform maps (labels, resources …)."""
    out: list[str] = []
    seen: set[str] = set()
    for layer in view.layers:
        node: Node | None = layer.root
        for key in layer.prefix:
            node = node.get(key) if isinstance(node, MapNode) else None
        stack: list[tuple[str, MapNode]] = [("", node)] if isinstance(node, MapNode) else []
        while stack:
            parent, mapping = stack.pop()
            children = []
            for key_node, child in mapping.items():
                path = f"{parent}.{key_node.text}" if parent else str(key_node.text)
                row = table.row(path)
                if row is None:
                    continue
                if path not in seen:
                    seen.add(path)
                    out.append(path)
                if isinstance(child, MapNode) and not row.freeform:
                    children.append((path, child))
            stack += reversed(children)
    return out


# --------------------------------------------------------------------------------------------
# The Redis version


def _redis(view: ValuesView, app_version: str, flavor: Flavor, override: str | None) -> tuple[RedisVersion, str]:
    """The Redis a release runs: --redis-version, else image.tag, else the chart's default image, else
    the newest; and where it came from: "" (given), "chart" (the default image) or "newest"; with
    "unnamed: " in front when image.tag names no version."""
    if override:
        parsed = parse_version(override, flavor)
        if parsed is not None:
            return parsed, ""
    tag = view.value("image.tag")
    unnamed = ""
    if tag is not None and not isinstance(tag, (dict, list)) and str(tag).strip():
        parsed = parse_version(str(tag), flavor)
        if parsed is not None:
            return parsed, ""
        unnamed = "unnamed: "
    if app_version:
        parsed = parse_version(app_version, flavor)
        if parsed is not None:
            return parsed, unnamed + "chart"
    return RedisVersion.newest(flavor), unnamed + "newest"


def _with_redis(message: str, redis: RedisVersion, origin: str, app_version: str, view: ValuesView,
                flavor: Flavor) -> tuple[str, frozenset[str]]:
    """The chart assumption's message, saying which Redis that release's image runs when the Redis
    version comes from it, and the topics it then weakens too."""
    if not origin:
        return message, frozenset()
    name = "Valkey" if flavor == "valkey" else "Redis"
    tag = f"image.tag {str(view.value('image.tag'))!r} names no version, so " if origin.startswith("unnamed") else ""
    if origin.endswith("chart"):
        return f"{message}, whose image runs {name} {app_version}" if not tag else \
            f"{message}; {tag}{name} {app_version} of its default image", frozenset({REDIS_VERSION_TOPIC})
    return f"{message}; {tag}{name} version unknown, assumed the newest, {redis.label}", \
        frozenset({REDIS_VERSION_TOPIC})
