"""spotahome/redis-operator RedisFailover (`databases.spotahome.com/v1`, older `storage.spotahome.com`).

The operator writes ConfigMap `rfr-<name>` (key redis.conf) with `port`, `tcp-keepalive 60`,
`save 900 1`, `save 300 10` and an ACL user for its own pings: no `appendonly`, `dir` or `maxmemory`
line. Everything in `spec.redis.customConfig` is applied by CONFIG SET on every pod at each
reconcile (every 30 s) and never written to a file, stopping at the first entry Redis refuses: a
restarted pod runs without it until the operator's next pass (redislint.kinds.runtime, RL019). The
data directory is the image's working directory `/data`, an emptyDir unless
`spec.redis.storage.persistentVolumeClaim` is set; the claim is deleted with the resource unless
`keepAfterDeletion`. Sentinels hold no data. The project is unmaintained (last commit 2023-08-21,
newest tag v1.3.0-rc1; issues #677, #709): `facts.extra["unmaintained"]` says so for RL803.
(reference/deployments-beyond-bitnami.md §5, read at spotahome/redis-operator 632aa3d.)
"""

from __future__ import annotations

import posixpath

from redislint.assumptions import version_assumptions
from redislint.charts.templating import relabel_problems
from redislint.discover import InputIndex, metadata_name
from redislint.facts import Fact, K8sFacts
from redislint.kinds._objects import (
    REDIS_CONF_RULES,
    CrReader,
    image_version,
    synthetic_lines,
)
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.kinds.runtime import apply_runtime
from redislint.redisconf import (
    ConfigSource,
    RedisVersion,
    evaluate,
    lines_from_argv,
    parse_conf,
)
from redislint.sources import MapNode, ScalarNode, SeqNode, YamlDocument
from redislint.target import Target, TargetOptions, Unresolved, ValuesIssue

COVERS = REDIS_CONF_RULES
DISPLAY = "spotahome redis-operator (RedisFailover)"
ID = "spotahome"
GROUPS = ("databases.spotahome.com", "storage.spotahome.com")
OBJECTS = tuple((group, "RedisFailover") for group in GROUPS)
DEFAULT_IMAGE = "redis:6.2.6-alpine"  # api/redisfailover/v1/defaults.go
DEFAULT_REPLICAS = 3
UNMAINTAINED = ("spotahome/redis-operator is unmaintained: last commit 2023-08-21, newest tag v1.3.0-rc1, last stable "
                "v1.2.4 (2022-12-28); issues #677 and #709 ask about its status, forks carry it on")
# The ConfigMap the operator generates (service/generator.go). Its ACL `user pinger … >pingpass` line, the
# rename-command lines and the password lines are left out: they set nothing a rule judges, and the
# pinger's fixed password is the operator's, not the user's to fix.
_ON_COMMAND = ("{fix}, as options after /redis/redis.conf in spec.redis.command (`[redis-server, /redis/redis.conf, "
               "--name, value]`): customConfig is applied only at run time (RL019)")
# Fixes in the resource's own terms (the rules' usual fixes name chart values or container fields).
FIXES = {
    "RL203": _ON_COMMAND, "RL204": _ON_COMMAND, "RL205": _ON_COMMAND, "RL206": _ON_COMMAND, "RL207": _ON_COMMAND,
    "RL208": _ON_COMMAND, "RL209": _ON_COMMAND, "RL301": _ON_COMMAND, "RL305": _ON_COMMAND, "RL306": _ON_COMMAND,
    "RL302": "Set spec.redis.resources.limits.memory",
    "RL401": "Set spec.redis.storage.persistentVolumeClaim (with keepAfterDeletion: true) so /data is on a claim",
    "RL402": "Raise spec.redis.storage.persistentVolumeClaim.spec.resources.requests.storage",
    "RL404": "Set spec.redis.storage.keepAfterDeletion: true, so deleting the RedisFailover keeps the claims",
    "RL405": "Drop spec.redis.storage.emptyDir.medium: Memory, or use spec.redis.storage.persistentVolumeClaim",
    "RL501": "Raise spec.redis.replicas (one of the pods is the master)",
    "RL701": "Set spec.redis.exporter.enabled: true and alert on redis_rdb_last_bgsave_status, "
             "redis_aof_last_bgrewrite_status and redis_aof_last_write_status",
}
_CONFIGMAP = "port 6379\ntcp-keepalive 60\nsave 900 1\nsave 300 10"


def _misplaced(r: CrReader) -> list[ValuesIssue]:
    """Redis settings written directly under spec, where the CRD has no such field: the API server drops them."""
    out = []
    for key in ("customConfig", "storage", "resources", "replicas", "command", "image"):
        span = r.key_span(f"spec.{key}")
        if span is not None:
            out.append(ValuesIssue("RL102", f"spec.{key} is not a field of a RedisFailover (the Redis pods read "
                                   f"spec.redis.{key}): the API server drops it, so it has no effect", span,
                                   f"spec.{key}", "Move it under spec.redis"))
    return out


def _boot_source(r: CrReader, version: RedisVersion, unresolved: list[Unresolved]) -> ConfigSource:
    """The operator's ConfigMap, then the options `spec.redis.command` passes after it (argv wins)."""
    configmap = synthetic_lines(_CONFIGMAP, "operator ConfigMap rfr-" + (r.text("metadata.name") or "?"), version)
    command = [(str(n.text), n.span) for n in r.strings("spec.redis.command")]
    if not command:
        return ConfigSource("redis-server /redis/redis.conf", tuple(configmap))
    if posixpath.basename(command[0][0]) not in ("redis-server", "valkey-server") or len(command) < 2 \
            or command[1][0] != "/redis/redis.conf":
        unresolved.append(Unresolved(
            "spec.redis.command does not start `redis-server /redis/redis.conf`: what Redis runs with was not "
            "checked (the operator's config file is at /redis/redis.conf)", command[0][1], "command"))
        return ConfigSource("redis-server /redis/redis.conf", tuple(configmap))
    # redis-server appends its options to the file's text and parses both in one call (not an include).
    argv = relabel_problems(lines_from_argv(command[2:], "spec.redis.command", version))
    return ConfigSource("redis-server /redis/redis.conf + options", tuple(configmap) + tuple(argv))


_DEFAULTS = TargetOptions()


def object_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions = _DEFAULTS) -> list[Target]:
    """The Redis pods of a RedisFailover: one `node` role (Sentinel promotes any of them)."""
    if not isinstance(doc.root, MapNode):
        return []
    r = CrReader(doc)
    image = r.text("spec.redis.image")
    version, notes = image_version(image, DEFAULT_IMAGE, opts.redis_version)
    unresolved = list(r.unresolved)
    source = _boot_source(r, version, unresolved)
    boot = evaluate(source, version)
    custom = r.node("spec.redis.customConfig")
    evaluation, runtime = boot, None
    if custom is not None and not isinstance(custom, SeqNode):
        unresolved.append(Unresolved(
            "spec.redis.customConfig must be a list of \"name value\" strings: the API server refuses this "
            "RedisFailover (the CRD's schema), so nothing of it is deployed", r.key_span("spec.redis.customConfig")
            or doc.span, "customConfig", severity="error"))
    elif isinstance(custom, SeqNode) and custom.items:
        lines: list = []
        for item in custom.items:
            if isinstance(item, ScalarNode):
                lines += parse_conf(item.embedded(), "spec.redis.customConfig (CONFIG SET)", version)
        evaluation, runtime = apply_runtime(
            source, relabel_problems(lines), version, layer="spec.redis.customConfig (CONFIG SET)",
            field="spec.redis.customConfig",
            mechanism="the spotahome operator applies customConfig with CONFIG SET on every pod at each reconcile "
                      "(every 30 s)",
            boot_place="pass it to redis-server at start: `spec.redis.command: [redis-server, /redis/redis.conf, "
                       "{argv}]` (options after the file override it)", stop_at_first_error=True)
    issues = _misplaced(r)
    if isinstance(r.node("spec.redis.storage.persistentVolumeClaim"), MapNode) and \
            r.node("spec.redis.storage.persistentVolumeClaim.spec") is None:
        unresolved.append(Unresolved(
            "spec.redis.storage.persistentVolumeClaim has no spec: it is the claim template itself (metadata and "
            "spec with accessModes and resources.requests.storage), not a reference to a claim, so the claims "
            "built from it have no size or access mode, which Kubernetes refuses",
            r.key_span("spec.redis.storage.persistentVolumeClaim") or doc.span, "persistentVolumeClaim",
            severity="error"))
    request, limit, limit_source = r.memory("spec.redis.resources")
    pods = r.integer("spec.redis.replicas", DEFAULT_REPLICAS, f"default spec.redis.replicas ({DEFAULT_REPLICAS})")
    claim = r.node("spec.redis.storage.persistentVolumeClaim")
    empty = r.node("spec.redis.storage.emptyDir")
    size = r.quantity("spec.redis.storage.persistentVolumeClaim.spec.resources.requests.storage", "volume size")
    keep = r.boolean("spec.redis.storage.keepAfterDeletion", False, "spec.redis.storage.keepAfterDeletion is not set")
    if isinstance(claim, MapNode):
        claim_span = r.key_span("spec.redis.storage.persistentVolumeClaim")
        persistent = Fact(True, claim_span, "spec.redis.storage.persistentVolumeClaim")
        medium = Fact("", None, "")
    else:
        where = r.key_span("spec.redis.storage.emptyDir") or r.key_span("spec.redis.storage") or \
            r.key_span("spec.redis") or doc.span
        origin = "spec.redis.storage.emptyDir" if empty is not None else \
            "an emptyDir (the operator's default without spec.redis.storage.persistentVolumeClaim)"
        persistent = Fact(False, where, origin)
        medium_node = r.node("spec.redis.storage.emptyDir.medium")
        medium = Fact(str(medium_node.text), medium_node.span, "spec.redis.storage.emptyDir.medium") \
            if isinstance(medium_node, ScalarNode) else Fact("", None, "")
    api_span = r.span("apiVersion")
    facts = K8sFacts(
        volume="claim-template" if persistent.value else "emptyDir",
        memory_request=request, memory_limit=limit, memory_limit_source=limit_source,
        persistence_enabled=persistent, persistent=persistent,
        storage_size=size if persistent.value else Fact(None, persistent.span, "no PVC"), medium=medium,
        pvc_created=Fact(bool(persistent.value), persistent.span, persistent.origin),
        pvc_deleted_with_release=Fact(bool(persistent.value) and not keep.value, keep.span,
                                      "the claim template carries an ownerReference to the RedisFailover unless "
                                      "spec.redis.storage.keepAfterDeletion is true"),
        workload_kind=Fact("StatefulSet", None, "the operator creates StatefulSet rfr-<name>"),
        data_path=Fact("/data", None, "the image's working directory, where the operator mounts the data volume"),
        pods=pods, replicas_of_master=Fact(max(pods.value - 1, 0), pods.span, "spec.redis.replicas - 1"),
        extra={"unmaintained": Fact(UNMAINTAINED, api_span, "spotahome/redis-operator")})
    anchors = tuple(s for s in (r.key_span("spec.redis.customConfig"), r.key_span("spec.redis"), r.key_span("spec"),
                                doc.span) if s is not None)
    return [Target(path=doc.path, name=metadata_name(doc.root), kind="RedisFailover", role="node", chart=ID,
                   chart_version=None, redis_version=version, mode="sentinel", source=source, evaluation=evaluation,
                   facts=facts, anchor=doc.span, config_anchors=anchors, unresolved=tuple(unresolved),
                   values_issues=tuple(issues),
                   assumptions=version_assumptions(notes), runtime=runtime)]


SPOTAHOME = DeploymentKind(
    id=ID, display=DISPLAY, objects=OBJECTS, object_targets=object_targets, covers=COVERS, fixes=FIXES,
    vocabulary=Vocabulary(resources="spec.redis.resources", memory_limit="spec.redis.resources.limits.memory",
                          memory_request="spec.redis.resources.requests.memory", persistence="spec.redis.storage",
                          persistence_size="spec.redis.storage.persistentVolumeClaim.spec.resources.requests.storage",
                          persistence_medium="spec.redis.storage.emptyDir.medium", replica_count="spec.redis.replicas",
                          metrics="spec.redis.exporter.enabled"),
    not_judged={"RL601": "the user the pods run as, and what the operator does about the volume's owner, is not "
                         "modelled",
                "RL702": "the resource holds no alerting rules to check"})

__all__ = ["COVERS", "ID", "OBJECTS", "SPOTAHOME", "UNMAINTAINED", "object_targets"]
