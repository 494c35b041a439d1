"""The Dragonfly operator's `Dragonfly` resource (`dragonflydb.io/v1alpha1`): flags, not redis.conf.

Dragonfly reads command-line flags only (the operator's defaults, then `spec.args`, then the
snapshot flags it derives from `spec.snapshot`), has no AOF and snapshots without forking. Its
persistence is modelled as the Redis settings that mean the same, each pointing at the field that
decides it, so the data-loss window rules judge it:

* `appendonly no` always (there is no AOF);
* a snapshot cron (`spec.snapshot.cron`, or `--snapshot_cron` in `spec.args`) as one save point
  whose interval is the longest gap between two runs; without one, `save ""`: Dragonfly then writes
  a snapshot only on a graceful shutdown, which no crash or OOM kill runs;
* `maxmemory` from `--maxmemory`, else Dragonfly's default of 80 % of the container's memory limit;
* `maxmemory-policy allkeys-lru` with `--cache_mode=true` (Dragonfly evicts), else `noeviction`
  (writes fail when memory is full).

The data is on a volume only with `spec.snapshot.persistentVolumeClaimSpec` or
`existingPersistentVolumeClaimName`. The fork-headroom rule (RL303) does not apply: Dragonfly's
snapshot is fork-less (its README, "Forkless Save"), so it needs no copy-on-write headroom.
(reference/deployments-beyond-bitnami.md §7, operator v1.6.1, Dragonfly v1.39/v1.40.)
"""

from __future__ import annotations

import re

from redislint.discover import InputIndex, metadata_name, text_of
from redislint.facts import Fact, K8sFacts
from redislint.kinds._objects import CrReader, synthetic_lines
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.kinds.cron import longest_gap_seconds
from redislint.model import Span
from redislint.redisconf import ConfigSource, RedisVersion, evaluate
from redislint.sources import MapNode, ScalarNode, SeqNode, YamlDocument
from redislint.target import Target, TargetOptions, Unresolved

DISPLAY = "Dragonfly operator"
NOT_JUDGED = {
    "RL303": "Dragonfly snapshots without forking (its \"forkless save\"), so it needs no copy-on-write headroom",
    "RL203": "Dragonfly has no AOF; RL205 judges its snapshot interval instead",
    "RL204": "Dragonfly has no AOF", "RL207": "Dragonfly has no AOF", "RL209": "Dragonfly has no AOF",
}
ID = "dragonfly"
OBJECTS = (("dragonflydb.io", "Dragonfly"),)
DEFAULT_IMAGE = "docker.dragonflydb.io/dragonflydb/dragonfly:v1.39.0"  # operator v1.6.x
DEFAULT_DIR = "/dragonfly/snapshots"
MAXMEMORY_SHARE = 0.8  # dfly_main.cc: maxmemory 0 means 80 % of the available (cgroup) memory
# The settings are a model of flags, not text Redis parses: judged with one fixed Redis version.
MODEL_VERSION = RedisVersion("redis", 7, 2, 0)
_FLAG = re.compile(r"^--?([a-z_]+)(?:=(.*))?$")
# What the kind can be judged by: persistence as a data-loss window and the volume that holds it, memory
# against the limit, replicas. Not RL303 (no fork), nor the rules about redis.conf directives Dragonfly
# does not have (AOF, appendfsync, rewrite, checksum, bgsave errors: RL211 is about those) or chart values.
COVERS = frozenset({"RL003", "RL201", "RL205", "RL302", "RL304", "RL305", "RL308", "RL401", "RL402",
                    "RL406", "RL501", "RL801"})
# Fixes in Dragonfly's own terms, for the rules whose usual fix names redis.conf directives.
FIXES = {
    "RL201": "Set spec.snapshot.cron (for example `*/5 * * * *`) with spec.snapshot.persistentVolumeClaimSpec, so "
             "snapshots are taken while Dragonfly runs and kept on a volume",
    "RL205": "Dragonfly has no AOF: its window is the snapshot interval. Set spec.snapshot.cron to run at least as "
             "often as the profile's window allows, or run Redis/Valkey with an AOF for data that needs a "
             "shorter window",
    "RL302": "Set spec.resources.limits.memory; Dragonfly then sizes maxmemory to 80 % of it",
    "RL304": "Lower --maxmemory in spec.args below the memory limit, or drop it: Dragonfly then uses 80 % of the limit",
    "RL305": "Set --cache_mode=true in spec.args for an evicting cache, or leave it off where writes must fail "
             "instead of dropping keys",
    "RL401": "Add spec.snapshot.persistentVolumeClaimSpec (or existingPersistentVolumeClaimName) so the snapshots "
             "are on a volume",
    "RL402": "Raise spec.snapshot.persistentVolumeClaimSpec.resources.requests.storage; every cron run writes a new "
             "file and nothing deletes old ones (dragonfly-operator #566): pass --dbfilename=dump to overwrite one",
    "RL501": "Raise spec.replicas: the operator makes one pod master and the rest its replicas",
}
_DEFAULTS = TargetOptions()


def _args(r: CrReader) -> dict[str, tuple[str, Span]]:
    """`spec.args` flags by name (the last of a repeated flag), with the value's span."""
    out: dict[str, tuple[str, Span]] = {}
    for node in r.strings("spec.args"):
        m = _FLAG.match(str(node.text).strip())
        if m:
            out[m.group(1)] = (m.group(2) if m.group(2) is not None else "true", node.span)
    return out


def _additional_volume(r: CrReader, path: str) -> Fact[bool] | None:
    """The volume `spec.additionalVolumeMounts` puts at the snapshot directory: a claim, or an emptyDir."""
    mounts = r.node("spec.additionalVolumeMounts")
    volumes = r.node("spec.additionalVolumes")
    if not isinstance(mounts, SeqNode) or not isinstance(volumes, SeqNode):
        return None
    for mount in mounts.items:
        mount_path = (text_of(mount.get("mountPath")) or "").rstrip("/") if isinstance(mount, MapNode) else ""
        if not mount_path or not (path == mount_path or path.startswith(mount_path + "/")):
            continue
        name = text_of(mount.get("name")) if isinstance(mount, MapNode) else None
        for volume in volumes.items:
            if isinstance(volume, MapNode) and text_of(volume.get("name")) == name:
                if volume.get("persistentVolumeClaim") is not None:
                    return Fact(True, volume.span, f"claim volume {name} (spec.additionalVolumes)")
                kind = "an emptyDir" if volume.get("emptyDir") is not None else "volume"
                return Fact(False, volume.span, f"{kind} {name} (spec.additionalVolumes)")
    return None


def _version(image: str | None, override: str | None) -> tuple[str, tuple[str, ...]]:
    shown = image or DEFAULT_IMAGE
    tag = shown.rsplit("/", 1)[-1].split("@", 1)[0].partition(":")[2]
    if override:
        return override, ()
    if tag:
        return tag, (f"Dragonfly {tag} taken from {'image' if image else 'the operator default image'} {shown}",)
    return "", (f"image {shown} names no version",)


def object_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions = _DEFAULTS) -> list[Target]:
    """One target for the Dragonfly pods (the operator makes one of them master)."""
    if not isinstance(doc.root, MapNode):
        return []
    r = CrReader(doc)
    unresolved = list(r.unresolved)
    args = _args(r)
    snapshot = r.node("spec.snapshot")
    lines = synthetic_lines("appendonly no", "Dragonfly (it has no AOF)", MODEL_VERSION)
    cron_text, cron_span, cron_field = None, None, ""
    if "snapshot_cron" in args:
        (cron_text, cron_span), cron_field = args["snapshot_cron"], "--snapshot_cron in spec.args"
    cron_node = r.node("spec.snapshot.cron")
    if isinstance(cron_node, ScalarNode) and cron_node.value:
        cron_text, cron_span, cron_field = str(cron_node.text), cron_node.span, "spec.snapshot.cron"  # the operator's flag comes last
    if cron_text:
        gap = longest_gap_seconds(cron_text.strip().strip("'\""))
        if gap is None:
            unresolved.append(Unresolved(f"{cron_field} {cron_text!r}: the longest gap between its runs was not worked "
                                         "out (only five-field schedules without day-of-month or month are), so the "
                                         "data-loss window was not checked", cron_span or doc.span, "snapshot-cron"))
            lines += synthetic_lines("save 3600 1", f"{cron_field} ({cron_text}, interval unknown)", MODEL_VERSION,
                                     cron_span)
        else:
            lines += synthetic_lines(f"save {gap} 1", f"{cron_field} ({cron_text}: at most {gap} s apart)",
                                     MODEL_VERSION, cron_span)
    else:
        where = r.key_span("spec.snapshot") or r.key_span("spec")
        lines += synthetic_lines('save ""', "Dragonfly without a snapshot cron (it saves only on a graceful shutdown)",
                                 MODEL_VERSION, where)
    request, limit, limit_source = r.memory("spec.resources")
    if "maxmemory" in args:
        value, span = args["maxmemory"]
        lines += synthetic_lines(f"maxmemory {value}", "--maxmemory in spec.args", MODEL_VERSION, span)
    elif limit.value:
        share = int(limit.value * MAXMEMORY_SHARE) // (1024 * 1024)
        lines += synthetic_lines(f"maxmemory {share}mb", "Dragonfly default: 80% of the memory limit", MODEL_VERSION,
                                 limit.span)
    cache = args.get("cache_mode")
    if cache is not None and cache[0].lower() in ("true", "1", "yes"):
        lines += synthetic_lines("maxmemory-policy allkeys-lru", "--cache_mode in spec.args (Dragonfly evicts)",
                                 MODEL_VERSION, cache[1])
    else:
        lines += synthetic_lines("maxmemory-policy noeviction", "Dragonfly default (writes fail when memory is full)",
                                 MODEL_VERSION)
    claim = r.node("spec.snapshot.persistentVolumeClaimSpec")
    existing = r.text("spec.snapshot.existingPersistentVolumeClaimName")
    snap_dir = r.text("spec.snapshot.dir") or (args["dir"][0] if "dir" in args else None)
    data_path = snap_dir or (DEFAULT_DIR if snapshot is not None else "/data")
    lines += synthetic_lines(f"dir {data_path}", "--dir (the operator's, with spec.snapshot)" if snapshot is not None
                             else "the image's working directory", MODEL_VERSION, r.span("spec.snapshot.dir"))
    source = ConfigSource("dragonfly flags", tuple(lines))
    if isinstance(claim, MapNode):
        persistent = Fact(True, r.key_span("spec.snapshot.persistentVolumeClaimSpec"),
                          "spec.snapshot.persistentVolumeClaimSpec")
    elif existing:
        persistent = Fact(True, r.span("spec.snapshot.existingPersistentVolumeClaimName"),
                          f"claim {existing} (spec.snapshot.existingPersistentVolumeClaimName)")
    elif snap_dir and snap_dir.startswith(("s3://", "gs://")):
        persistent = Fact(True, r.span("spec.snapshot.dir"), f"object storage {snap_dir}")
    else:
        persistent = _additional_volume(r, data_path) or Fact(
            False, r.key_span("spec.snapshot") or r.key_span("spec") or doc.span,
            "the container's own filesystem (no snapshot volume)")
    size = r.quantity("spec.snapshot.persistentVolumeClaimSpec.resources.requests.storage", "volume size")
    pods = r.integer("spec.replicas", 1, "spec.replicas is not set (1)")
    version_text, notes = _version(r.text("spec.image"), opts.redis_version)
    del notes  # the Dragonfly version decides nothing modelled here; it is shown as the chart version
    facts = K8sFacts(
        volume=("claim-template" if isinstance(claim, MapNode) else "claim" if existing else
                "" if persistent.value else "emptyDir" if "emptyDir" in persistent.origin else "none"),
        memory_request=request, memory_limit=limit, memory_limit_source=limit_source,
        persistence_enabled=persistent, persistent=persistent,
        storage_size=size if isinstance(claim, MapNode) else Fact(None, persistent.span, persistent.origin),
        pvc_created=Fact(isinstance(claim, MapNode), persistent.span, persistent.origin),
        workload_kind=Fact("StatefulSet", None, "the operator creates a StatefulSet"),
        data_path=Fact(data_path, r.span("spec.snapshot.dir"), "the snapshot directory"),
        pods=pods, replicas_of_master=Fact(max(pods.value - 1, 0), pods.span, "spec.replicas - 1"))
    anchors = tuple(s for s in (r.key_span("spec.snapshot"), r.key_span("spec.args"), r.key_span("spec"), doc.span)
                    if s is not None)
    return [Target(path=doc.path, name=metadata_name(doc.root), kind="Dragonfly", role="server", chart=ID,
                   chart_version=version_text or None, redis_version=MODEL_VERSION,
                   mode="replication" if pods.value > 1 else "standalone", source=source,
                   evaluation=evaluate(source, MODEL_VERSION), facts=facts, anchor=doc.span, config_anchors=anchors,
                   unresolved=tuple(unresolved))]


DRAGONFLY = DeploymentKind(
    id=ID, display=DISPLAY, objects=OBJECTS, object_targets=object_targets, covers=COVERS, fixes=FIXES,
    not_judged=NOT_JUDGED,
    vocabulary=Vocabulary(resources="spec.resources", memory_limit="spec.resources.limits.memory",
                          memory_request="spec.resources.requests.memory", persistence="spec.snapshot",
                          persistence_size="spec.snapshot.persistentVolumeClaimSpec.resources.requests.storage",
                          replica_count="spec.replicas"))

__all__ = ["COVERS", "DRAGONFLY", "FIXES", "ID", "OBJECTS", "object_targets"]
