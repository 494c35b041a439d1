"""The deployment-kind interface: what a kind is (`DeploymentKind`), and the records every kind shares.

A kind module builds one or more `DeploymentKind`s and the registry (`redislint.kinds.registry.KINDS`) lists
them. Kind modules import what they need from here: `Release`, `release_versions`, `FactReader` and
`int_fact` live in `redislint.charts` (so the chart helpers can use them without importing the
registry) and are re-exported for kind authors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redislint.charts.release import Release, release_versions
from redislint.charts.values_facts import FactReader, int_fact

if TYPE_CHECKING:
    from redislint.discover import InputIndex
    from redislint.sources import MapNode, YamlDocument
    from redislint.target import Target, TargetOptions

__all__ = ["DeploymentKind", "FactReader", "Release", "Vocabulary", "int_fact", "release_versions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """Where a kind keeps things in its values, so that rules ask instead of knowing chart names.

    Each entry is a values path; `{role}` stands for the role's values key (`Target.values_prefix`:
    Bitnami `master`/`primary`/`replica`, redis-ha `redis`). None: this kind has no such key.
    """

    resources: str | None = None  # the role's resources block
    memory_limit: str | None = None
    memory_request: str | None = None
    resources_preset: str | None = None
    persistence: str | None = None  # the block that holds the volume settings
    persistence_enabled: str | None = None
    persistence_size: str | None = None
    storage_class: str | None = None
    existing_claim: str | None = None
    shared_config: str | None = None  # the config every role reads (Bitnami commonConfiguration, redis-ha redis.config)
    role_config: str | None = None  # the role's own config (Bitnami master.configuration)
    replica_count: str | None = None
    metrics: str | None = None
    alerts: str | None = None
    min_replicas: str | None = None  # where this kind sets min-replicas-to-write
    pod_security_context: str | None = None
    container_security_context: str | None = None

    def at(self, name: str, role_key: str) -> str | None:
        """The values path of entry `name` for a role whose values key is `role_key`."""
        path: str | None = getattr(self, name)
        return path.replace("{role}", role_key) if path is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeploymentKind:
    """One way Redis is deployed that redislint models: a chart (by its publisher) or an operator.

    Recognition, most certain first: the repository a chart comes from (`repo_markers`: substrings
    of a HelmRepository `spec.url`, an Argo CD `repoURL` or an OCI path), then the chart's name
    (`chart_names`), then the values' shape (`values_shape`); operators by (API group, kind).
    """

    id: str  # stable, used in Target.chart: "bitnami/redis", "redis-ha", "valkey-io/valkey", "ot-operator"
    display: str  # "Bitnami redis chart"
    flavor: str = "redis"  # the server it runs: "redis" or "valkey" (versions, naming)
    # Names a chart reference may end in ("redis" in "oci://…/bitnamicharts/redis").
    chart_names: tuple[str, ...] = ()
    # Lower-case substrings of a repository URL that identify this kind's publisher.
    repo_markers: tuple[str, ...] = ()
    # When several kinds share a chart name and neither the repository nor the values decide, the
    # kind with `name_default` is taken (Bitnami's, as redislint always did).
    name_default: bool = False
    # True for values that only this kind reads (checked in KINDS order: more specific kinds first).
    values_shape: Callable[[MapNode], bool] | None = None
    # Keys under which umbrella charts bundle this chart (`redis:` in an application chart's values).
    umbrella_aliases: tuple[str, ...] = ()
    # For a block under one of `umbrella_aliases` and the kind its shape says (or None): the kind it
    # holds, or None when it configures no Redis of this chart (a client's `host:`/`url:` settings).
    bundled: Callable[[MapNode, DeploymentKind | None], DeploymentKind | None] | None = None
    # Operators: (API group, kind) of the custom resources that run Redis.
    objects: tuple[tuple[str, str], ...] = ()
    # Targets of one release of a chart.
    release_targets: Callable[[Release], list[Target]] | None = None
    # Targets of one custom resource (operators).
    object_targets: Callable[[YamlDocument, InputIndex, TargetOptions], list[Target]] | None = None
    # The ConfigMaps and Secrets a custom resource reads (found with `InputIndex.lookup`): they are
    # consumed, not targets of their own. Called before any target is built.
    object_uses: Callable[[YamlDocument, InputIndex], list[YamlDocument]] | None = None
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    # Rule codes that can judge this kind; None: every rule.
    covers: frozenset[str] | None = None

    def recognises_repo(self, where: str) -> bool:
        """True when a repository URL (or an OCI chart reference) names this kind's publisher."""
        where = where.lower()
        return any(marker in where for marker in self.repo_markers)
