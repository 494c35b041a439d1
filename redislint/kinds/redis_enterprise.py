"""Redis Enterprise for Kubernetes: RedisEnterpriseDatabase (REDB) and RedisEnterpriseCluster (REC).

There is no redis.conf: the cluster runs every database's shards and takes its persistence from the
REDB's fields. They are modelled as the Redis settings that mean the same, each pointing at the field
(or, when the default applies, at `spec`), so the AOF and data-loss-window rules judge them:

* `persistence` (default `disabled`): `aofEverySecond` is `appendonly yes` + `appendfsync everysec`,
  `aofAlways` is `appendfsync always`, `snapshotEvery1Hour`/`6Hour`/`12Hour` a save point of that
  interval with the AOF off, `disabled` neither;
* `memorySize` (default 100MB) is the database's `maxmemory`, `evictionPolicy` (default
  `volatile-lru`) its policy; `replication` (default false) one replica shard per primary.

The REC's `persistentSpec` (enabled by default, 5× the node memory when no size is given) decides
whether the nodes keep those files on a volume; its target is judged by RL401 only.
(RedisLabs/redis-enterprise-k8s-docs v8.0.20-23 API docs; reference/deployments-beyond-bitnami.md §6.)
"""

from __future__ import annotations

from redislint.discover import InputIndex, metadata_name, text_of
from redislint.facts import Fact, K8sFacts
from redislint.kinds._objects import CrReader, synthetic_lines
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.redisconf import ConfigSource, RedisVersion, evaluate
from redislint.sources import MapNode, ScalarNode, YamlDocument
from redislint.target import Target, TargetOptions, Unresolved

NOT_JUDGED = {
    "RL201": "a database keeps either an AOF or snapshots, never both",
    "RL303": "the cluster sizes and forks its shards itself; a database has no pod of its own",
}
ID = "redis-enterprise"
CLUSTER_ID = "redis-enterprise/cluster"
GROUP = "app.redislabs.com"
OBJECTS = ((GROUP, "RedisEnterpriseDatabase"), (GROUP, "RedisEnterpriseCluster"))
MODEL_VERSION = RedisVersion("redis", 7, 2, 0)  # the settings are a model of REDB fields, judged with one version
PERSISTENCE = {
    "disabled": 'appendonly no\nsave ""',
    "aofEverySecond": 'appendonly yes\nappendfsync everysec\nsave ""',
    "aofAlways": 'appendonly yes\nappendfsync always\nsave ""',
    "snapshotEvery1Hour": "appendonly no\nsave 3600 1",
    "snapshotEvery6Hour": "appendonly no\nsave 21600 1",
    "snapshotEvery12Hour": "appendonly no\nsave 43200 1",
}
DEFAULT_NODE_MEMORY = 4 * 1024 ** 3  # REC redisEnterpriseNodeResources: "2 CPUs and 4GB memory"
# A database: its persistence, memory, eviction and replication. The pods are the cluster's (REC target).
# Not RL201: a database keeps either an AOF or snapshots, never both, so "RDB off" next to an AOF has no fix.
COVERS = frozenset({"RL003", "RL203", "RL204", "RL205", "RL301", "RL305", "RL501"})
CLUSTER_COVERS = frozenset({"RL003", "RL401"})
FIXES = {
    "RL203": "Set spec.persistence: aofEverySecond (or aofAlways)",
    "RL204": "Set spec.persistence: aofAlways",
    "RL205": "Set spec.persistence to aofEverySecond (a window of about 1 s) or aofAlways",
    "RL301": "Set spec.memorySize",
    "RL305": "Set spec.evictionPolicy to a policy the profile allows (allkeys-lru for a cache, noeviction where writes "
             "must fail rather than drop keys)",
    "RL401": "Set spec.persistentSpec.enabled: true (clusters without it are not supported for production) with a "
             "volumeSize of at least 5× the node memory",
    "RL501": "Set spec.replication: true (one replica shard per primary shard)",
}
_DEFAULTS = TargetOptions()


def _database(doc: YamlDocument, r: CrReader) -> Target:
    unresolved = list(r.unresolved)
    spec_span = r.key_span("spec") or doc.span
    node = r.node("spec.persistence")
    mode = str(node.text) if isinstance(node, ScalarNode) and node.value else "disabled"
    if mode not in PERSISTENCE:
        unresolved.append(Unresolved(f"spec.persistence {mode!r} is none of {', '.join(PERSISTENCE)}: the API server "
                                     "refuses it", node.span if node is not None else spec_span, "persistence",
                                     severity="error"))
        mode = "disabled"
    layer = "spec.persistence" if node is not None else "Redis Enterprise default (persistence: disabled)"
    lines = synthetic_lines(PERSISTENCE[mode], layer, MODEL_VERSION, node.span if node is not None else spec_span)
    size = r.node("spec.memorySize")
    size_text = str(size.text).lower() if isinstance(size, ScalarNode) and size.value else "100mb"
    lines += synthetic_lines(f"maxmemory {size_text}", "spec.memorySize" if size is not None else
                             "Redis Enterprise default (memorySize: 100MB)", MODEL_VERSION,
                             size.span if size is not None else spec_span)
    policy = r.node("spec.evictionPolicy")
    lines += synthetic_lines(f"maxmemory-policy {text_of(policy) or 'volatile-lru'}",
                             "spec.evictionPolicy" if policy is not None else
                             "Redis Enterprise default (evictionPolicy: volatile-lru)", MODEL_VERSION,
                             policy.span if policy is not None else spec_span)
    source = ConfigSource("database settings", tuple(lines))
    replicated = r.boolean("spec.replication", False, "spec.replication is not set (false)")
    facts = K8sFacts(
        # The shards run in the cluster's pods: their memory and volumes are the REC's, judged there.
        persistence_enabled=Fact(True, None, "the cluster's persistent volumes (REC persistentSpec)"),
        persistent=Fact(True, None, "the cluster's persistent volumes (REC persistentSpec)"),
        pods=Fact(2 if replicated.value else 1, replicated.span, replicated.origin),
        replicas_of_master=Fact(1 if replicated.value else 0, replicated.span or spec_span, replicated.origin),
        workload_kind=Fact("RedisEnterpriseCluster", None, "shards run in the cluster's pods"))
    return Target(path=doc.path, name=metadata_name(r.root), kind="RedisEnterpriseDatabase", role="database",
                  chart=ID, chart_version=None, redis_version=MODEL_VERSION,
                  mode="replication" if replicated.value else "standalone", source=source,
                  evaluation=evaluate(source, MODEL_VERSION), facts=facts, anchor=doc.span,
                  config_anchors=tuple(s for s in (node.span if node is not None else None, spec_span) if s),
                  unresolved=tuple(unresolved))


def _cluster(doc: YamlDocument, r: CrReader) -> Target:
    enabled = r.boolean("spec.persistentSpec.enabled", True, "spec.persistentSpec.enabled is not set (true)")
    request, limit, limit_source = r.memory("spec.redisEnterpriseNodeResources")
    if limit.value is None and r.node("spec.redisEnterpriseNodeResources") is None:
        limit = Fact(DEFAULT_NODE_MEMORY, None, "Redis Enterprise default node resources (4GB)")
        limit_source = "resources"
    size = r.quantity("spec.persistentSpec.volumeSize", "volume size")
    if size.value is None and limit.value:
        size = Fact(5 * limit.value, None, "5 × the node memory (the operator's default volumeSize)")
    where = r.span("spec.persistentSpec.enabled") or r.key_span("spec.persistentSpec") or r.key_span("spec")
    persistent = Fact(bool(enabled.value), where, "spec.persistentSpec" if enabled.value else
                      "the container's own filesystem (spec.persistentSpec.enabled: false)")
    nodes = r.integer("spec.nodes", 3, "spec.nodes is not set (3)")
    source = ConfigSource("cluster", ())
    facts = K8sFacts(volume="claim-template" if enabled.value else "none",
                     memory_request=request, memory_limit=limit, memory_limit_source=limit_source,
                     persistence_enabled=persistent, persistent=persistent,
                     storage_size=size if enabled.value else Fact(None, where, "no PVC"),
                     data_path=Fact("/var/opt/redislabs/persist", None, "the nodes' persistence directory"),
                     pods=nodes, replicas_of_master=Fact(None, None, "per database (spec.replication)"),
                     workload_kind=Fact("StatefulSet", None, "the operator creates a StatefulSet of nodes"))
    return Target(path=doc.path, name=metadata_name(r.root), kind="RedisEnterpriseCluster", role="node", chart=CLUSTER_ID,
                  chart_version=None, redis_version=MODEL_VERSION, mode="cluster", source=source,
                  evaluation=evaluate(source, MODEL_VERSION), facts=facts, anchor=doc.span,
                  config_anchors=(r.key_span("spec") or doc.span,), unresolved=tuple(r.unresolved))


def object_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions = _DEFAULTS) -> list[Target]:
    """A database target for a REDB, a node target for a REC (Active-Active databases are not modelled)."""
    if not isinstance(doc.root, MapNode):
        return []
    r = CrReader(doc)
    kind = r.text("kind")
    if kind == "RedisEnterpriseDatabase":
        return [_database(doc, r)]
    if kind == "RedisEnterpriseCluster":
        return [_cluster(doc, r)]
    return []


# Two kinds: a database (judged by its persistence and memory fields) and the cluster that runs it (RL401).
REDIS_ENTERPRISE_DATABASE = DeploymentKind(
    id=ID, display="Redis Enterprise database (REDB)", objects=((GROUP, "RedisEnterpriseDatabase"),),
    object_targets=object_targets, covers=COVERS, fixes=FIXES, not_judged=NOT_JUDGED,
    vocabulary=Vocabulary(replica_count="spec.replication"))
REDIS_ENTERPRISE_CLUSTER = DeploymentKind(
    id=CLUSTER_ID, display="Redis Enterprise cluster (REC)", objects=((GROUP, "RedisEnterpriseCluster"),),
    object_targets=object_targets, covers=CLUSTER_COVERS, fixes={"RL401": FIXES["RL401"]},
    vocabulary=Vocabulary(resources="spec.redisEnterpriseNodeResources",
                          memory_limit="spec.redisEnterpriseNodeResources.limits.memory",
                          memory_request="spec.redisEnterpriseNodeResources.requests.memory",
                          persistence="spec.persistentSpec", persistence_size="spec.persistentSpec.volumeSize",
                          replica_count="spec.nodes"),
    not_judged={code: "a cluster has no redis.conf: its databases are judged" for code in ("RL201", "RL203", "RL205",
                                                                                        "RL301")})

__all__ = ["CLUSTER_ID", "COVERS", "FIXES", "ID", "OBJECTS", "REDIS_ENTERPRISE_CLUSTER", "REDIS_ENTERPRISE_DATABASE",
           "object_targets"]
