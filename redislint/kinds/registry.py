"""The one registry of deployment kinds (`KINDS`) and the lookups that recognise them.

Nothing else in redislint lists kinds: wrappers, discovery and rules ask here. A new kind is a module
in `redislint.kinds` that builds a `DeploymentKind` (`redislint.kinds.base`), and one entry in `KINDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redislint.discover import CLIENT_KEYS
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.kinds.bitnami import BITNAMI_REDIS, BITNAMI_VALKEY
from redislint.kinds.cloudpirates_redis import CLOUDPIRATES_REDIS
from redislint.kinds.cloudpirates_valkey import CLOUDPIRATES_VALKEY
from redislint.kinds.dragonfly import DRAGONFLY
from redislint.kinds.groundhog2k import GROUNDHOG2K_REDIS, GROUNDHOG2K_VALKEY
from redislint.kinds.ot_operator import OT_OPERATOR
from redislint.kinds.redis_enterprise import (
    REDIS_ENTERPRISE_CLUSTER,
    REDIS_ENTERPRISE_DATABASE,
)
from redislint.kinds.redis_ha import REDIS_HA
from redislint.kinds.spotahome import SPOTAHOME
from redislint.kinds.valkey_io import VALKEY_IO
from redislint.sources import MapNode, ScalarNode

if TYPE_CHECKING:
    from redislint.target import Target

__all__ = [
    "KINDS",
    "bundled_kind",
    "DeploymentKind",
    "fix_for",
    "judged_for",
    "kind_by_id",
    "kind_for_chart",
    "kind_for_object",
    "kind_for_umbrella",
    "kind_for_values",
    "kind_of",
    "not_judging",
    "registry",
    "Registry",
    "umbrella_aliases",
    "vocabulary_of",
]

# Every deployment kind. The order matters where kinds compete: values shapes are tried in this
# order (a kind whose values are more specific comes before one whose shape is broad, such as
# Bitnami's `architecture`), and so are umbrella aliases.
KINDS: tuple[DeploymentKind, ...] = (REDIS_HA, VALKEY_IO, GROUNDHOG2K_REDIS, GROUNDHOG2K_VALKEY, CLOUDPIRATES_VALKEY,
                                     CLOUDPIRATES_REDIS, BITNAMI_REDIS, BITNAMI_VALKEY, OT_OPERATOR, SPOTAHOME,
                                     REDIS_ENTERPRISE_DATABASE, REDIS_ENTERPRISE_CLUSTER, DRAGONFLY)

# Keys of an umbrella's block that say nothing about which chart it holds.
_GENERIC_KEYS = {"enabled", "global", "nameOverride", "fullnameOverride"}


def _chart_name(reference: str) -> str:
    """`oci://registry-1.docker.io/bitnamicharts/valkey` -> `valkey`; `bitnami/redis` -> `redis`."""
    return reference.rstrip("/").rsplit("/", 1)[-1].lower()


class Registry:
    """Lookups over an ordered tuple of kinds (the module-level functions use `registry`, built from
    KINDS; a test may put one with a kind of its own in its place)."""

    __slots__ = ("_aliases", "_by_id", "_by_name", "_objects", "_shaped", "_vocabularies", "kinds")

    def __init__(self, kinds: tuple[DeploymentKind, ...]) -> None:
        self.kinds = kinds
        self._by_id = {k.id: k for k in kinds}
        self._by_name: dict[str, tuple[DeploymentKind, ...]] = {}
        for kind in kinds:
            for name in kind.chart_names:
                self._by_name[name] = (*self._by_name.get(name, ()), kind)
        self._shaped = tuple(k for k in kinds if k.values_shape is not None)
        self._aliases: dict[str, DeploymentKind] = {}  # alias -> the first kind bundled under it
        for kind in kinds:
            for alias in kind.umbrella_aliases:
                self._aliases.setdefault(alias, kind)
        self._objects = {obj: k for k in kinds for obj in k.objects}
        self._vocabularies: dict[tuple[str, str, str | None], Vocabulary] = {}

    def by_id(self, kind_id: str) -> DeploymentKind | None:
        return self._by_id.get(kind_id)

    def for_chart(self, chart_name: str, repo_url: str = "",
                  values: tuple[MapNode, ...] = ()) -> DeploymentKind | None:
        candidates = self._by_name.get(_chart_name(chart_name), ())
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        where = f"{repo_url} {chart_name}"
        for kind in candidates:
            if kind.recognises_repo(where):
                return kind
        for root in reversed(values):
            for kind in candidates:
                if kind.values_shape is not None and kind.values_shape(root):
                    return kind
        return next((k for k in candidates if k.name_default), candidates[0])

    def for_values(self, root: MapNode) -> DeploymentKind | None:
        for kind in self._shaped:
            if kind.values_shape(root):  # type: ignore[misc]  # _shaped holds kinds with a shape
                return kind
        return None

    def aliases(self) -> tuple[str, ...]:
        return tuple(self._aliases)

    def bundled(self, alias: str, block: MapNode) -> DeploymentKind | None:
        owner = self._aliases.get(alias)
        if owner is None:
            return None
        keys = {str(k.text) for k, _ in block.items() if isinstance(k, ScalarNode)} - _GENERIC_KEYS
        if keys & CLIENT_KEYS:
            return None
        shaped = self.for_values(block)
        if owner.bundled is None:
            return shaped if shaped is owner else None
        return owner.bundled(block, shaped)

    def for_umbrella(self, root: MapNode) -> tuple[str, DeploymentKind] | None:
        for alias in self._aliases:
            block = root.get(alias)
            if isinstance(block, MapNode):
                kind = self.bundled(alias, block)
                if kind is not None:
                    return alias, kind
        return None

    def for_object(self, api_version: str, kind: str) -> DeploymentKind | None:
        return self._objects.get((api_version.split("/", 1)[0], kind))

    def vocabulary(self, kind_id: str, role_key: str, chart_version: str | None) -> Vocabulary | None:
        key = (kind_id, role_key, chart_version)
        found = self._vocabularies.get(key)
        if found is None:
            kind = self._by_id.get(kind_id)
            if kind is None:
                return None
            base = kind.role_vocabularies.get(role_key) or (
                kind.vocabulary_for(chart_version) if kind.vocabulary_for is not None else kind.vocabulary)
            found = self._vocabularies[key] = base.for_role(role_key)
        return found


registry = Registry(KINDS)


def kind_by_id(kind_id: str) -> DeploymentKind | None:
    """The kind whose id is `kind_id` (`Target.chart`), or None (plain config, workloads)."""
    return registry.by_id(kind_id)


def kind_for_chart(chart_name: str, repo_url: str = "", values: tuple[MapNode, ...] = ()) -> DeploymentKind | None:
    """The kind a chart reference deploys, or None when no kind has that name.

    `chart_name` as written ("redis", "bitnami/redis", "oci://…/cloudpirates/valkey"); `repo_url` the
    repository it comes from (HelmRepository `spec.url`, Argo CD `repoURL`, OCIRepository `spec.url`;
    "" when not known). Among kinds of the same name: the one whose `repo_markers` the repository (or
    an OCI reference itself) holds; else the first whose `values_shape` fits a layer of `values`
    (highest priority last); else the name's default (Bitnami's for `redis`/`valkey`).
    """
    return registry.for_chart(chart_name, repo_url, values)


def kind_for_values(root: MapNode) -> DeploymentKind | None:
    """The kind a bare values mapping is for, judging by its shape (KINDS order); None if no kind's."""
    return registry.for_values(root)


def umbrella_aliases() -> tuple[str, ...]:
    """Keys under which umbrella charts bundle a chart redislint models, in KINDS order."""
    return registry.aliases()


def bundled_kind(alias: str, block: MapNode) -> DeploymentKind | None:
    """The kind whose values a parent chart's block under `alias` holds, or None.

    The block must hold that chart's values, not a client's settings (`host`, `url`) of some Redis
    elsewhere.
    """
    return registry.bundled(alias, block)


def kind_for_umbrella(root: MapNode) -> tuple[str, DeploymentKind] | None:
    """(alias, kind) when a values mapping bundles a chart redislint models under one of its aliases."""
    return registry.for_umbrella(root)


def kind_for_object(api_version: str, kind: str) -> DeploymentKind | None:
    """The operator kind whose custom resource this is (`apiVersion` with its version), or None."""
    return registry.for_object(api_version, kind)


def kind_of(target: Target) -> DeploymentKind | None:
    """The kind that built a target (None for a plain config file, a hand-written workload)."""
    return registry.by_id(target.chart)


def vocabulary_of(target: Target) -> Vocabulary | None:
    """Where the target's kind keeps things in its values, for the target's role and chart release;
    None for a target of no kind (a plain config file, a hand-written workload)."""
    if not target.chart:
        return None
    return registry.vocabulary(target.chart, target.values_prefix, target.chart_version)


def judged_for(kind_id: str, code: str) -> bool:
    """False when the kind of a target (`Target.chart`) cannot be judged by a rule (its `covers` omits it)."""
    kind = registry.by_id(kind_id)
    return kind is None or kind.covers is None or code in kind.covers


def fix_for(kind_id: str, code: str, fix: str) -> str:
    """A rule's fix in the kind's own terms (`DeploymentKind.fixes`), else the rule's."""
    kind = registry.by_id(kind_id)
    own = kind.fixes.get(code) if kind is not None else None
    if own is None:
        return fix
    return own.replace("{fix}", fix.rstrip(". ")) if "{fix}" in own else own


def not_judging(code: str) -> list[str]:
    """The kinds a rule cannot judge, each with why when the kind says (`redislint explain`)."""
    out = []
    for kind in registry.kinds:
        if kind.covers is not None and code not in kind.covers:
            why = kind.not_judged.get(code, "")
            out.append(f"{kind.display}: {why}" if why else kind.display)
    return out
