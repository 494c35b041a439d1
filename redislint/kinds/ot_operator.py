"""The OT-Container-Kit redis-operator: Redis, RedisReplication and RedisCluster (v1beta1, v1beta2).

With its default feature gates the operator sets no command: the image's entrypoint
(`quay.io/opstree/redis`) appends its own lines to the image's redis.conf and starts Redis on it.
Later wins, as the entrypoint writes them (OT-CONTAINER-KIT/redis entrypoint.sh;
reference/deployments-beyond-bitnami.md §4.2):

1. the image's redis.conf (bind, timeouts, pidfile);
2. the entrypoint's lines: protected-mode, the cluster block (RedisCluster), and with persistence
   `save 900 1`, `save 300 10`, `save 60 10000`, `appendonly yes`, `dir /data`;
3. `include /etc/redis/external.conf.d/redis-additional.conf` when that file exists: the key
   `redis-additional.conf` of the ConfigMap named by `additionalRedisConfig` (any other key is
   mounted and never read). Its `save` lines come after the entrypoint's and add save points;
4. `dynamicConfig`, applied by CONFIG SET during reconcile: runtime only (redislint.kinds.runtime).

Another image (the official `redis`) has no such entrypoint: Redis runs on its built-in defaults and
reads neither the persistence lines nor the ConfigMap. `maxMemoryPercentOfLimit` sets an environment
variable only the `GenerateConfigInInitContainer` path reads (OT issues #1641, #1607).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from redislint.assumptions import version_assumptions
from redislint.charts.templating import relabel_problems
from redislint.discover import (
    DataProblem,
    InputIndex,
    data_value,
    metadata_name,
    text_of,
)
from redislint.facts import Fact, K8sFacts
from redislint.kinds._objects import (
    REDIS_CONF_RULES,
    CrReader,
    image_version,
    synthetic_lines,
)
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.kinds.runtime import apply_runtime
from redislint.partial import Partial
from redislint.redisconf import (
    ConfigSource,
    Include,
    RedisVersion,
    evaluate,
    parse_conf,
)
from redislint.sources import MapNode, ScalarNode, YamlDocument
from redislint.target import (
    CHART,
    Assumption,
    Target,
    TargetOptions,
    Unresolved,
    ValuesIssue,
)

COVERS = REDIS_CONF_RULES
DISPLAY = "OT-Container-Kit redis-operator"
ID = "ot-operator"
GROUP = "redis.redis.opstreelabs.in"
DATA_KINDS = ("Redis", "RedisReplication", "RedisCluster")
OBJECTS = tuple((GROUP, kind) for kind in (*DATA_KINDS, "RedisSentinel"))
CONFIG_KEY = "redis-additional.conf"  # the only key the entrypoint includes
CONFIG_DIR = "/etc/redis/external.conf.d"
DEFAULT_IMAGE = "quay.io/opstree/redis:v7.0.15"  # the CRD requires an image; used only when none is written
_OT_IMAGE = re.compile(r"(^|/)opstree/redis(?![-\w])")

_IN_CONFIGMAP = "{fix}, in the redis-additional.conf key of the ConfigMap that additionalRedisConfig names"
# Fixes in the resource's own terms (the rules' usual fixes name chart values or container fields).
FIXES = {
    "RL203": _IN_CONFIGMAP, "RL204": _IN_CONFIGMAP, "RL205": _IN_CONFIGMAP, "RL206": _IN_CONFIGMAP,
    "RL207": _IN_CONFIGMAP, "RL208": _IN_CONFIGMAP, "RL209": _IN_CONFIGMAP, "RL301": _IN_CONFIGMAP,
    "RL305": _IN_CONFIGMAP, "RL306": _IN_CONFIGMAP,
    "RL302": "Set spec.kubernetesConfig.resources.limits.memory (a RedisCluster's redisLeader/redisFollower.resources "
             "override it)",
    "RL401": "Add spec.storage.volumeClaimTemplate with a size (a RedisCluster also needs spec.persistenceEnabled: "
             "true): the entrypoint then writes the save and appendonly lines and the data is on the claim",
    "RL402": "Raise spec.storage.volumeClaimTemplate.spec.resources.requests.storage",
    "RL404": "Set spec.storage.keepAfterDelete: true, so deleting the resource keeps the claims",
    "RL501": "Raise spec.clusterSize (a Redis resource runs one pod: use a RedisReplication with a RedisSentinel to "
             "promote a replica)",
    "RL701": "Set spec.redisExporter.enabled: true and alert on redis_rdb_last_bgsave_status, "
             "redis_aof_last_bgrewrite_status and redis_aof_last_write_status",
}
_IMAGE_BASE = ("bind 0.0.0.0 ::\ntcp-backlog 511\ntimeout 0\ntcp-keepalive 300\ndaemonize no\nsupervised no\n"
               "pidfile /var/run/redis.pid")
_CLUSTER = ("cluster-enabled yes\ncluster-node-timeout 5000\ncluster-require-full-coverage no\n"
            "cluster-migration-barrier 1\ncluster-config-file /node-conf/nodes.conf")
_PERSISTENCE = 'save 900 1\nsave 300 10\nsave 60 10000\nappendonly yes\nappendfilename "appendonly.aof"\ndir /data'


class _Role(NamedTuple):
    role: str
    mode: str
    pods: Fact[int]
    resources: str  # path of the role's resources block
    config: str  # path of the role's redisConfig block (additionalRedisConfig)


def holds_data(kind: str) -> bool:
    """RedisSentinel runs Sentinels only: no data, so no target and nothing to report (not RL004)."""
    return kind in DATA_KINDS


def _roles(r: CrReader, kind: str) -> list[_Role]:
    if kind == "Redis":
        return [_Role("master", "standalone", Fact(1, None, "a Redis resource runs one pod"),
                      "spec.kubernetesConfig.resources", "spec.redisConfig")]
    size = r.integer("spec.clusterSize", 3, "default clusterSize (3)")
    if kind == "RedisReplication":
        return [_Role("server", "replication", size, "spec.kubernetesConfig.resources", "spec.redisConfig")]
    out = []
    for role, key in (("leader", "redisLeader"), ("follower", "redisFollower")):
        pods = r.integer(f"spec.{key}.replicas", size.value, size.origin if size.span is None else "spec.clusterSize")
        if pods.span is None and size.span is not None:
            pods = Fact(size.value, size.span, "spec.clusterSize")
        # The role's own resources, else a cluster's top-level spec.resources (v1beta1 has one), else the pod's.
        resources = next((p for p in (f"spec.{key}.resources", "spec.resources") if isinstance(r.node(p), MapNode)),
                         "spec.kubernetesConfig.resources")
        out.append(_Role(role, "cluster", pods, resources, f"spec.{key}.redisConfig"))
    return out


def _followers(role: _Role, roles: list[_Role]) -> Fact[int | None]:
    """Replicas following each master: replication pods - 1; a cluster leader's share of the followers."""
    if role.mode == "replication":
        return Fact(max(role.pods.value - 1, 0), role.pods.span, "spec.clusterSize - 1 (one pod is master)")
    if role.role == "leader":
        followers = next(r.pods for r in roles if r.role == "follower")
        return Fact(followers.value // max(role.pods.value, 1), followers.span, "followers per leader")
    return Fact(0, None, "a Redis resource runs no replica" if role.mode == "standalone" else "a follower")


def _persistence(r: CrReader, kind: str) -> tuple[Fact[bool], list[ValuesIssue]]:
    """Whether the operator sets PERSISTENCE_ENABLED (a claim template, and for a cluster persistenceEnabled)."""
    template = "spec.storage.volumeClaimTemplate.spec"
    claimed = any(r.node(f"{template}.{k}") is not None for k in
                  ("accessModes", "resources.requests", "storageClassName", "volumeName"))
    storage_span = r.key_span("spec.storage")
    if kind != "RedisCluster":
        if claimed:
            return Fact(True, r.key_span("spec.storage.volumeClaimTemplate"), "spec.storage.volumeClaimTemplate"), []
        return Fact(False, storage_span or r.key_span("spec"), "no spec.storage.volumeClaimTemplate"), []
    enabled = r.boolean("spec.persistenceEnabled", False, "spec.persistenceEnabled is not set")
    if enabled.value and claimed:
        return Fact(True, enabled.span, "spec.persistenceEnabled with spec.storage"), []
    issues = []
    if claimed and not enabled.value and storage_span is not None:
        issues.append(ValuesIssue("RL102", "spec.storage has no effect on a RedisCluster without `persistenceEnabled: "
                                  "true`: the operator creates no data volume and writes no save or appendonly line",
                                  storage_span, "spec.storage", "Set spec.persistenceEnabled: true"))
    why = "spec.persistenceEnabled is not true" if claimed else "no spec.storage.volumeClaimTemplate"
    return Fact(False, enabled.span or storage_span or r.key_span("spec"), why), issues


class _External(NamedTuple):
    source: ConfigSource | None
    unresolved: list[Unresolved]
    issues: list[ValuesIssue]
    unseen: str  # the layer not read, for Partial ("" when read or absent)


def _external(r: CrReader, path: str, idx: InputIndex, version: RedisVersion) -> _External:
    """The ConfigMap `additionalRedisConfig` names, read as the operator mounts it (key redis-additional.conf)."""
    node = r.node(f"{path}.additionalRedisConfig")
    if not isinstance(node, ScalarNode) or node.value in (None, ""):
        return _External(None, [], [], "")
    name = str(node.text)
    if "\n" in name or " " in name.strip():
        # Config text written where the operator wants a ConfigMap's name: the pods mount a ConfigMap of that
        # "name", which cannot exist, so they never start, and none of these lines is read.
        return _External(None, [], [ValuesIssue(
            "RL102", f"{path}.additionalRedisConfig holds config text, but the operator takes it as the name of a "
            "ConfigMap to mount: no ConfigMap can have that name, so the pods wait for a volume that never appears "
            "and none of these directives is read", node.span, f"{path}.additionalRedisConfig",
            f"Put the text in a ConfigMap under the key {CONFIG_KEY} and write that ConfigMap's name here")], "")
    namespace = r.text("metadata.namespace")
    found = idx.lookup("ConfigMap", name, namespace, r.doc.path)
    layer = f"ConfigMap {name} ({CONFIG_KEY})"
    if found.doc is None:
        why = f"; {found.why}" if found.why else ""
        return _External(None, [Unresolved(
            f"{path}.additionalRedisConfig names ConfigMap {name}, which is not among the inputs{why}: what its "
            f"{CONFIG_KEY} sets (read last, so it can change any directive) was not checked", node.span,
            "additionalRedisConfig", unseen_layer=layer)], [], layer)
    idx.used_as_values.add(id(found.doc))
    try:
        value = data_value(found.doc, CONFIG_KEY)
    except DataProblem as exc:
        return _External(None, [Unresolved(f"ConfigMap {name} key {CONFIG_KEY} {exc}", node.span,
                                           "additionalRedisConfig", unseen_layer=layer)], [], layer)
    if value is None:
        data = found.doc.root.get("data") if isinstance(found.doc.root, MapNode) else None
        keys = [text_of(k) or "" for k, _ in data.items()] if isinstance(data, MapNode) else []
        at = data.key_node(keys[0]).span if isinstance(data, MapNode) and keys else found.doc.span  # type: ignore[union-attr]
        held = f"its keys are {', '.join(keys)}" if keys else "it has no data"
        return _External(None, [], [ValuesIssue(
            "RL102", f"ConfigMap {name} is mounted for {r.text('kind')} {r.text('metadata.name')}, "
            f"but the entrypoint includes only the key {CONFIG_KEY} and {held}: nothing in it is read, silently",
            at, f"ConfigMap {name}", f"Rename the key to {CONFIG_KEY}")], "")
    lines = relabel_problems(parse_conf(value.embedded(), layer, version))
    return _External(ConfigSource(f"{CONFIG_DIR}/{CONFIG_KEY}", tuple(lines)), [], [], "")


def _boot_items(kind: str, persistent: Fact[bool], version: RedisVersion, r: CrReader) -> list:
    items: list = synthetic_lines(_IMAGE_BASE, "image redis.conf", version)
    auth = r.node("spec.kubernetesConfig.redisSecret")
    items += synthetic_lines("protected-mode yes" if auth is not None else "protected-mode no",
                             "operator entrypoint", version, r.key_span("spec.kubernetesConfig.redisSecret"))
    if kind == "RedisCluster":
        items += synthetic_lines(_CLUSTER, "operator entrypoint", version)
    if persistent.value:
        items += synthetic_lines(_PERSISTENCE, "operator entrypoint (persistence)", version, persistent.span)
    items += synthetic_lines("port 6379", "operator entrypoint", version)
    return items


_DEFAULTS = TargetOptions()


def object_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions = _DEFAULTS) -> list[Target]:
    """One target per Redis role of an OT custom resource (none for a RedisSentinel)."""
    root = doc.root
    if not isinstance(root, MapNode):
        return []
    kind = str(root.get("kind").text) if isinstance(root.get("kind"), ScalarNode) else ""  # type: ignore[union-attr]
    if not holds_data(kind):
        return []
    r = CrReader(doc)
    image = r.text("spec.kubernetesConfig.image")
    version, notes = image_version(image, DEFAULT_IMAGE, opts.redis_version)
    ot_image = bool(_OT_IMAGE.search(image or DEFAULT_IMAGE))
    persistent, issues = _persistence(r, kind)
    assumed: list[Assumption] = []
    cr_issues = list(issues)
    percent = r.node("spec.redisConfig.maxMemoryPercentOfLimit")
    if percent is not None:
        cr_issues.append(ValuesIssue(
            "RL102", "maxMemoryPercentOfLimit sets an environment variable that only the operator's "
            "GenerateConfigInInitContainer feature gate (off by default) turns into `maxmemory`: the image's "
            "entrypoint ignores it, so Redis runs without maxmemory (OT #1641, #1607)", percent.span,
            "spec.redisConfig.maxMemoryPercentOfLimit",
            "Write `maxmemory` in the ConfigMap's redis-additional.conf, or run the operator with "
            "FEATURE_GATES=GenerateConfigInInitContainer=true"))
    if kind == "RedisCluster" and r.node("spec.redisConfig.additionalRedisConfig") is not None:
        cr_issues.append(ValuesIssue(
            "RL102", "a RedisCluster reads additionalRedisConfig only under spec.redisLeader.redisConfig and "
            "spec.redisFollower.redisConfig: this one is never mounted", r.span("spec.redisConfig.additionalRedisConfig")
            or doc.span, "spec.redisConfig.additionalRedisConfig",
            "Move it to spec.redisLeader.redisConfig and spec.redisFollower.redisConfig"))
    if not ot_image:
        assumed.append(Assumption(CHART, f"the operator is taken to run with its default feature gates "
                                  f"(GenerateConfigInInitContainer off), so image {image} starts Redis through its own "
                                  "entrypoint", r.span("spec.kubernetesConfig.image"), "feature-gates"))
    size = r.quantity("spec.storage.volumeClaimTemplate.spec.resources.requests.storage", "volume size")
    keep = r.boolean("spec.storage.keepAfterDelete", False, "spec.storage.keepAfterDelete is not set")
    name = metadata_name(root)
    out: list[Target] = []
    leader: Target | None = None
    roles = _roles(r, kind)
    for role in roles:
        ext = _external(r, role.config, idx, version)
        role_issues = list(cr_issues) + ext.issues
        items: list = []
        if ot_image:
            items = _boot_items(kind, persistent, version, r)
            if ext.source is not None:
                items.append(Include(ext.source, r.span(f"{role.config}.additionalRedisConfig")))
        elif r.node(f"{role.config}.additionalRedisConfig") is not None or persistent.value:
            what = (f"{role.config}.additionalRedisConfig" if r.node(f"{role.config}.additionalRedisConfig") is not None
                    else "spec.storage")
            role_issues.append(ValuesIssue(
                "RL102", f"image {image} is not the operator's quay.io/opstree/redis: its entrypoint never reads the "
                "operator's settings, so Redis starts on its built-in defaults (no persistence lines, no "
                f"{CONFIG_KEY}) unless the operator runs with GenerateConfigInInitContainer=true",
                r.span("spec.kubernetesConfig.image") or doc.span, what,
                "Use quay.io/opstree/redis (the operator's image), or enable the GenerateConfigInInitContainer "
                "feature gate on the operator"))
        source = ConfigSource("redis-server /etc/redis/redis.conf", tuple(items))
        boot = evaluate(source, version)
        dynamic = r.strings("spec.redisConfig.dynamicConfig")
        evaluation, runtime = boot, None
        if dynamic:
            lines: list = []
            for item in dynamic:
                lines += parse_conf(item.embedded(), "spec.redisConfig.dynamicConfig (CONFIG SET)", version)
            evaluation, runtime = apply_runtime(
                source, relabel_problems(lines), version, layer="spec.redisConfig.dynamicConfig (CONFIG SET)",
                field="spec.redisConfig.dynamicConfig",
                mechanism="the OT operator applies dynamicConfig with CONFIG SET on each pod during reconcile",
                boot_place=f"add `{{line}}` to the {CONFIG_KEY} of the ConfigMap that {role.config}.additionalRedisConfig "
                           "names, which Redis reads at every start",
                stop_at_first_error=False)
        request, limit, limit_source = r.memory(role.resources)
        data_path = "/data"
        facts = K8sFacts(
            volume="claim-template" if persistent.value else "none",
            memory_request=request, memory_limit=limit, memory_limit_source=limit_source,
            persistence_enabled=persistent,
            persistent=Fact(persistent.value, persistent.span,
                            "spec.storage.volumeClaimTemplate" if persistent.value else
                            f"the container's own filesystem ({persistent.origin})"),
            storage_size=size if persistent.value else Fact(None, persistent.span, "no PVC"),
            pvc_created=Fact(bool(persistent.value), persistent.span, persistent.origin),
            pvc_deleted_with_release=Fact(bool(persistent.value) and not keep.value, keep.span,
                                          "the operator's finalizer deletes the PVCs with the resource unless "
                                          "spec.storage.keepAfterDelete is true"),
            workload_kind=Fact("StatefulSet", None, "the operator creates a StatefulSet"),
            data_path=Fact(data_path, None, "the operator mounts the data volume at /data"),
            pods=role.pods,
            replicas_of_master=_followers(role, roles),
            metrics_enabled=r.boolean("spec.redisExporter.enabled", False, "spec.redisExporter.enabled is not set"))
        anchors = tuple(s for s in (r.span(f"{role.config}.additionalRedisConfig"), r.key_span(role.config),
                                    r.key_span("spec"), doc.span) if s is not None)
        partial = Partial((ext.unseen,), frozenset()) if ext.unseen else None
        target = Target(path=doc.path, name=name, kind=kind, role=role.role, chart=ID, chart_version=None,
                        redis_version=version, mode=role.mode, source=source, evaluation=evaluation, facts=facts,
                        anchor=doc.span, config_anchors=anchors,
                        unresolved=tuple(r.unresolved) + tuple(ext.unresolved), values_issues=tuple(role_issues),
                        assumptions=version_assumptions(notes) + tuple(assumed), partial=partial, runtime=runtime,
                        upstream=leader if role.role == "follower" else None)
        leader = leader or (target if role.role == "leader" else None)
        out.append(target)
    return out


def referenced_configmaps(doc: YamlDocument, idx: InputIndex) -> list[YamlDocument]:
    """The ConfigMaps an OT resource mounts: read as its config, never targets of their own."""
    if not isinstance(doc.root, MapNode):
        return []
    r = CrReader(doc)
    out = []
    for path in ("spec.redisConfig", "spec.redisLeader.redisConfig", "spec.redisFollower.redisConfig"):
        name = r.text(f"{path}.additionalRedisConfig")
        if name and "\n" not in name:
            found = idx.lookup("ConfigMap", name, r.text("metadata.namespace"), doc.path).doc
            if found is not None:
                out.append(found)
    return out


OT_OPERATOR = DeploymentKind(
    id=ID, display=DISPLAY, objects=OBJECTS, object_targets=object_targets, object_uses=referenced_configmaps,
    covers=COVERS, fixes=FIXES,
    vocabulary=Vocabulary(resources="spec.kubernetesConfig.resources",
                          memory_limit="spec.kubernetesConfig.resources.limits.memory",
                          memory_request="spec.kubernetesConfig.resources.requests.memory",
                          persistence="spec.storage",
                          persistence_size="spec.storage.volumeClaimTemplate.spec.resources.requests.storage",
                          replica_count="spec.clusterSize", metrics="spec.redisExporter.enabled",
                          pod_security_context="spec.podSecurityContext"),
    not_judged={"RL601": "the user the operator's image runs as, and what it does about the volume's owner, is "
                         "not modelled",
                "RL702": "the resource holds no alerting rules to check"})

__all__ = ["COVERS", "ID", "OBJECTS", "OT_OPERATOR", "holds_data", "object_targets", "referenced_configmaps"]
