"""The deployment-kind interface: what a kind is (`DeploymentKind`), and the records every kind shares.

A kind module builds one or more `DeploymentKind`s and the registry (`redislint.kinds.registry.KINDS`) lists
them. Kind modules import what they need from here: `Release`, `release_versions`, `FactReader` and
`int_fact` live in `redislint.charts` (so the chart helpers can use them without importing the
registry) and are re-exported for kind authors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
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
    Bitnami `master`/`primary`/`replica`). None: this kind has no such key. Rules get one with the
    role filled in from `kinds.registry.vocabulary_of(target)`.
    """

    role_block: str | None = None  # the role's own values block ("{role}"); None when roles share one
    resources: str | None = None  # the role's resources block
    memory_limit: str | None = None
    memory_request: str | None = None
    resources_preset: str | None = None  # a named size the chart turns into resources (Bitnami)
    persistence: str | None = None  # the block that holds the data volume's settings
    persistence_enabled: str | None = None
    persistence_size: str | None = None
    persistence_medium: str | None = None  # emptyDir medium (Memory: a tmpfs)
    storage_class: str | None = None
    existing_claim: str | None = None
    workload_kind: str | None = None  # StatefulSet / Deployment / DaemonSet switch
    data_claim: str | None = None  # the name of the claim template that holds the data ("redis-data")
    # Values paths that set the claim's storage class, the first written wins (Bitnami: global first).
    storage_classes: tuple[str, ...] = ()
    access_modes: str | None = None
    sub_path: str | None = None  # the subPath of the data mount (and its `...Expr` twin)
    namespace_override: str | None = None
    # The suffix of the workload's name after the chart's fullname when every role has the same one
    # ("server": `<fullname>-server`); None: by role (`-master`, `-replicas`, `-node`).
    workload_suffix: str | None = None
    # The config block every role reads besides its own (Bitnami commonConfiguration); None when a
    # role reads one block only.
    shared_config: str | None = None
    role_config: str | None = None  # the config block of the role (Bitnami master.configuration, redis-ha redis.config)
    # Where one directive is set when the config is a map of directive: value ("redis.config.{directive}");
    # None when it is redis.conf text, where a directive is a line.
    config_entry: str | None = None
    min_replicas: str | None = None  # min-replicas-to-write as a values key (a map config); None: a config line
    replica_count: str | None = None
    metrics: str | None = None  # the exporter switch
    service_monitor: str | None = None
    alerts: str | None = None  # the block of the chart's own PrometheusRule
    down_after: str | None = None  # Sentinel's down-after-milliseconds
    down_after_default: int | None = None  # ... and the chart's default of it
    pod_security_context: str | None = None
    container_security_context: str | None = None
    volume_permissions: str | None = None  # an init container that chowns the volume

    def for_role(self, role_key: str) -> Vocabulary:
        """This vocabulary with `{role}` replaced by a role's values key."""
        changes: dict[str, object] = {}
        for name in _PATH_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and "{role}" in value:
                changes[name] = value.replace("{role}", role_key)
            elif isinstance(value, tuple) and any("{role}" in v for v in value):
                changes[name] = tuple(v.replace("{role}", role_key) for v in value)
        return replace(self, **changes) if changes else self  # type: ignore[arg-type]

    def entry(self, directive: str) -> str | None:
        """The values key that sets `directive` in a map config (`redis.config.save`), else None."""
        return self.config_entry.replace("{directive}", directive) if self.config_entry else None


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
    # When where things live depends on the chart release (Bitnami redis before 14.0.0): the
    # vocabulary for a `Target.chart_version` (None: unknown); `vocabulary` otherwise.
    vocabulary_for: Callable[[str | None], Vocabulary] | None = None
    # Where things live for a role key (`Target.values_prefix`) whose values differ from the kind's
    # `vocabulary` altogether (valkey-io: `dataStorage.*` standalone, `replica.persistence.*` with
    # replica.enabled); `vocabulary` (or `vocabulary_for`) for every other role key.
    role_vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    # Why a release (by the version its wrapper pins, root None) or values (by their shape) of this
    # kind's chart cannot be modelled: (reason, values keys to point at), else None (RL004).
    not_modelled: Callable[[str | None, MapNode | None], tuple[str, tuple[str, ...]] | None] | None = None
    # How RL004's list of what redislint models names this kind ("" : its id).
    modelled: str = ""
    # True when something promotes a replica in every mode of this kind (redis-ha runs Sentinel in
    # every pod, and one of its pods is the master); else only Bitnami-style `sentinel` mode does.
    always_fails_over: bool = False
    # Rule codes that can judge this kind; None: every rule.
    covers: frozenset[str] | None = None
    # Why a rule outside `covers` cannot judge this kind (`explain` shows it), by rule code.
    not_judged: dict[str, str] = field(default_factory=dict)
    # A rule's fix in this kind's own terms, by rule code, where the rule's names a place the kind does not
    # have (chart values, a container's fields); `{fix}` stands for the rule's own fix text.
    fixes: dict[str, str] = field(default_factory=dict)

    def recognises_repo(self, where: str) -> bool:
        """True when a repository URL (or an OCI chart reference) names this kind's publisher."""
        where = where.lower()
        return any(marker in where for marker in self.repo_markers)


_PATH_FIELDS = tuple(f.name for f in fields(Vocabulary) if f.name != "down_after_default")
