"""The AOF is fsynced onto a network filesystem (NFS, EFS, Azure Files): slow fsyncs stall Redis, and fsGroup may not apply.

## What it does
Reports a role that writes an append-only file with `appendfsync always` or `everysec` onto a volume
whose storage class is named after a network filesystem: `nfs`, `nfs-client`, `managed-nfs-storage`,
`efs`, `efs-sc`, `azurefile*`, `filestore` (matched as words, so `snfs-ssd` is not one). Only a class
named in the values or the manifest counts: the cluster's default class is not guessed. RDB-only
persistence and `appendfsync no` are left alone.

## Why is this bad?
With `everysec` Redis delays a write up to two seconds while the previous fsync is still running and
then writes anyway; with `always` every write waits for the fsync (Redis latency docs). On NFS-like
storage fsyncs are slow and irregular, so clients see stalls and "Asynchronous AOF fsync is taking too
long" in the log; Redis Enterprise does not support NFS for this reason ("often slow and can cause
locking behaviors that are incompatible with the requirements of database storage"). Network
filesystems also break the ownership the pod relies on: an AOF on an NFS volume left empty and owned
by root, so every restart failed with "Found an empty AOF manifest"
(https://github.com/bitnami/containers/issues/63438); the NFS user mapping denied the pod its own
data after a move to another node (https://github.com/bitnami/charts/issues/9296); `fsGroup` is not
applied to NFS mounts (https://github.com/kubernetes/examples/issues/260); and an AOF rewrite on Azure
Files looped on "Permission denied" (https://github.com/bitnami/charts/issues/2478).

## Example
```yaml profile=critical
architecture: standalone
commonConfiguration: |
  appendonly yes
  appendfsync everysec
master:
  persistence:
    storageClass: nfs-client
```

## Use instead
```yaml profile=critical
architecture: standalone
commonConfiguration: |
  appendonly yes
  appendfsync everysec
master:
  persistence:
    storageClass: ssd
```

## Fix
Put the data on block storage (a ReadWriteOnce class backed by a disk: EBS, PD, Azure Disk, Ceph RBD,
local volumes). If the network filesystem must stay, expect write stalls and check that the pod's
user owns the directory on the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# Words that name a network filesystem in a storage class name (split on anything but letters and digits).
_NETWORK_WORDS = frozenset({"nfs", "efs", "azurefile", "filestore"})


def network_filesystem(name: str) -> bool:
    """True when a storage class name says it is NFS, EFS, Azure Files or Filestore."""
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    return bool(words & _NETWORK_WORDS) or "azure-file" in name.lower() or name.lower().startswith("azurefile")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    klass = facts.storage_class
    if not facts.known or not facts.persistent.value or not klass.value or klass.span is None:
        return
    if {"appendonly", "appendfsync"} & templated_keys(target):
        return
    if (target.value("appendonly") or "no").lower() != "yes":
        return  # snapshots are written by a child process, off the event loop
    fsync = (target.value("appendfsync") or "everysec").lower()
    if fsync not in ("always", "everysec") or not network_filesystem(str(klass.value)):
        return
    stall = ("every write waits for its fsync" if fsync == "always"
             else "a write is held up to two seconds while the previous fsync runs, then written anyway")
    yield Hit(f"The AOF is fsynced ({fsync}) onto storage class {klass.value!r}, a network filesystem: {stall}, so "
              "slow NFS-like fsyncs stall every client, and fsGroup is often not applied to such volumes (the AOF "
              "cannot be written or renamed after a restart on another node)",
              klass.span, f"Use a block-storage class for {klass.origin} (a disk, not a network share). A claim's "
              "class cannot change in place: for a running release, take a BGREWRITEAOF and copy the AOF directory "
              "(or a BGSAVE's dump.rdb) off the volume, then follow RL409's procedure (orphan-delete the "
              "StatefulSet, delete the claims, apply the new class) and restore the files before Redis starts",
              subject=klass.origin)


RULE = define("RL415", "data-on-network-filesystem", "storage", Severity.WARNING, __doc__, check,
              tags=("storage", "aof", "kubernetes"))
