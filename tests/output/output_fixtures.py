"""Hand-built reports and rules for the formatter tests (no other layer of redislint is needed)."""

from __future__ import annotations

from pathlib import Path

from redislint.model import AssumptionNote, Finding, Notification, Related, Report, Severity, Span


def _load_rule_api():
    """`redislint.rules._api`, even while the rule registry (`redislint.rules.__init__`) cannot import.

    The formatters need only `define`/`Rule`; these tests should not fail because a rule module
    elsewhere is broken. The registry has its own tests.
    """
    try:
        from redislint.rules import _api
        return _api
    except ImportError:
        import importlib.util
        import sys

        import redislint

        path = Path(redislint.__file__).parent / "rules" / "_api.py"
        spec = importlib.util.spec_from_file_location("redislint_rules_api_standalone", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look the module up while building classes
        spec.loader.exec_module(module)
        return module


_api = _load_rule_api()
Rule, define = _api.Rule, _api.define

GOLDEN = Path(__file__).parent / "golden"
INFO_URI = "https://github.com/example/redislint"

VALUES = "charts/redis/values.yaml"
RELEASE = "clusters/prod/redis-helmrelease.yaml"
CONF = "conf/redis.conf"
BROKEN = "charts/broken/values.yaml"
OTHER = "charts/other/values.yaml"  # a target with assumptions and no findings

# Keys as the engine makes them are opaque to formatters: any unique string will do.
CHART_ASSUMED = AssumptionNote(
    "k-chart", "chart-version", "bitnami/redis chart version not pinned; assumed 23.1.1, the newest known",
    RELEASE, "prod/redis", ("master", "replica"), None, ("spec.chart.spec.version absent: Flux installs the newest",))
PRESET_ASSUMED = AssumptionNote(
    "k-preset", "chart-version", "default resourcesPreset: nano (192Mi limit) from 19.0.0, none before; nano assumed",
    RELEASE, "prod/redis", ("master",), Span(RELEASE, 10, 7, 10, 16), (), True)
REDIS_ASSUMED = AssumptionNote(
    "k-redis", "redis-version", "Redis version unknown; assumed the newest, Redis 8.6",
    CONF, "redis.conf", ("server",))
LAYER_ASSUMED = AssumptionNote(
    "k-layer", "values-layer", "valuesFrom ConfigMap redis-extra is not among the inputs; assumed it sets nothing",
    OTHER, "other/redis", ("master",), Span(OTHER, 2, 3, 2, 20))

VALUES_TEXT = """\
architecture: replication
auth:
  enabled: true
  password: "Hunter2-Values-Pw"
master:
  persistence:
    enabled: true
  configuration: |-
    appendonly no
    save ""
  resources:
    limits: {memory: 1Gi}
cache-💾: {appendonly: "no"}
replica:
  replicaCount: 1
"""

RELEASE_TEXT = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: prod
  annotations:
    redislint.io/profile: critical
spec:
  values:
    master:
      resources:
        limits:
          memory: 2Gi
      extraFlags: ["--requirepass", "Flag-Pw-77", "--maxmemory", "1800mb"]
"""

CONF_TEXT = """\
# redis.conf for the session store
requirepass S3cr3t-Redis-Pw!
appendonly\tyes
appendfsync always
maxmemory 1gb
"""

AOF_DOC = '''AOF is disabled although the profile needs it.

## What it does
Checks that `appendonly` is `yes` for every Redis role the profile marks as durable.

## Why is this bad?
Without the append-only file, everything written since the last RDB snapshot is lost on restart.

## Example
```yaml
master:
  configuration: |-
    appendonly no
```

## Use instead
```yaml
master:
  configuration: |-
    appendonly yes
```

## Fix
Set `appendonly yes` in the role's configuration block.
'''

SAVE_DOC = '''No RDB save points are configured.

## What it does
Reports a role whose effective `save` setting is empty while the profile asks for snapshots.

## Why is this bad?
Without snapshots a replica full sync is the only copy of the data [and restarts start empty].

## Example
```
save ""
```

## Use instead
```
save 3600 1 300 100
```

## Fix
Add `save` points that match the profile's RPO.
'''

HEADROOM_DOC = '''maxmemory leaves too little fork headroom under the memory limit.

## What it does
Compares `maxmemory` with the container memory limit and the profile's headroom factor.

## Why is this bad?
A background save forks Redis; copy-on-write pages can double memory use and the kernel kills the pod.

## Example
```yaml
maxmemory: 1gb   # limit 1Gi
```

## Use instead
```yaml
maxmemory: 600mb
```

## Fix
Lower `maxmemory` or raise the memory limit so that limit >= factor x maxmemory.
'''

FSYNC_DOC = '''appendfsync always is slow.

## What it does
Notes `appendfsync always`, which fsyncs on every write.

## Why is this bad?
Every write waits for the disk; latency rises sharply.

## Example
```
appendfsync always
```

## Use instead
```
appendfsync everysec
```

## Fix
Use `appendfsync everysec` unless the profile really needs `always`.
'''

DUP_DOC = '''A key appears twice in one mapping.

## What it does
Reports duplicate keys, which YAML loaders resolve differently.

## Why is this bad?
Helm keeps the last value; other tools keep the first or fail.

## Example
```yaml
a: 1
a: 2
```

## Use instead
```yaml
a: 2
```

## Fix
Delete one of the keys.
'''


def make_rules() -> list[Rule]:
    """Fake rules in registry order, built as rule modules build theirs."""
    return [
        define("RL002", "duplicate-key", "validity", Severity.ERROR, DUP_DOC, scope="source"),
        define("RL101", "no-save-points", "rdb", Severity.WARNING, SAVE_DOC, tags=("persistence",)),
        define("RL203", "aof-disabled", "aof", Severity.ERROR, AOF_DOC, tags=("persistence", "durability")),
        define("RL204", "appendfsync-always", "aof", Severity.NOTE, FSYNC_DOC, tags=("performance",)),
        define("RL401", "insufficient-fork-headroom", "memory", Severity.WARNING, HEADROOM_DOC,
               tags=("memory", "fork")),
    ]


def make_report() -> Report:
    """Several files, related spans, a suppressed finding, an unreadable file, non-ASCII columns."""
    findings = [
        Finding(
            rule="RL203", name="aof-disabled", severity=Severity.ERROR,
            message='AOF is disabled for the master: appendonly is "no", profile critical requires "yes"',
            span=Span(VALUES, 9, 5, 9, 18),
            fix="Set `appendonly yes` in master.configuration",
            related=(Related(Span(VALUES, 7, 5, 7, 18), "persistence is enabled, so data is meant to survive"),
                     Related(Span(RELEASE, 7, 5, 7, 35), "profile [critical] chosen by this annotation")),
            target="prod/redis", role="master", profile="critical", subject="master.configuration#appendonly",
        ),
        Finding(
            rule="RL101", name="no-save-points", severity=Severity.WARNING,
            message='save is "" so no RDB snapshots are written',
            span=Span.point(VALUES, 10, 5),
            fix='Add `save 3600 1 300 100` after `save ""`',
            target="prod/redis", role="master", profile="critical", subject="master.configuration#save",
        ),
        Finding(
            rule="RL401", name="insufficient-fork-headroom", severity=Severity.WARNING,
            message="maxmemory 1800mb leaves 248MiB under the 2Gi limit; the profile needs limit >= 2 x maxmemory",
            span=Span(RELEASE, 14, 66, 14, 74),
            fix="Lower maxmemory to 1024mb or raise the limit to 3600Mi",
            related=(Related(Span(RELEASE, 13, 11, 13, 22), "memory limit 2Gi"),),
            target="prod/redis", role="master", profile="critical", subject="master.extraFlags#maxmemory",
            assumptions=("k-chart", "k-preset"),
        ),
        # Same rule, file, target, role and subject twice: the occurrence index keeps them apart.
        Finding(
            rule="RL002", name="duplicate-key", severity=Severity.ERROR,
            message="key appendonly appears twice in this mapping",
            span=Span(VALUES, 13, 11, 13, 21),
            target="values.yaml", subject="cache-💾.appendonly",
        ),
        Finding(
            rule="RL002", name="duplicate-key", severity=Severity.ERROR,
            message="key appendonly appears twice in this mapping (second time)",
            span=Span(VALUES, 13, 11, 13, 21),
            target="values.yaml", subject="cache-💾.appendonly",
        ),
        Finding(
            rule="RL204", name="appendfsync-always", severity=Severity.NOTE,
            message="appendfsync always fsyncs every write;\nexpect higher latency",
            span=Span(CONF, 3, 1, 4, 19),
            target="redis.conf", role="server", profile="session", subject="appendfsync",
            assumptions=("k-redis",),
        ),
        Finding(
            rule="RL101", name="no-save-points", severity=Severity.WARNING,
            message="no save points after requirepass S3cr3t-Redis-Pw! was set",
            span=Span(CONF, 2, 1, 2, 29),
            target="redis.conf", role="server", profile="session", subject="save",
        ),
    ]
    suppressed = [
        Finding(
            rule="RL401", name="insufficient-fork-headroom", severity=Severity.WARNING,
            message="maxmemory 1gb leaves no headroom (no memory limit known)",
            span=Span(CONF, 5, 1, 5, 14),
            target="redis.conf", role="server", profile="session", subject="maxmemory",
        ),
    ]
    return Report(
        findings=findings,
        suppressed=suppressed,
        notifications=[Notification(BROKEN, "cannot read file: not valid UTF-8 (byte 0xff)", 3, 7)],
        files_read=4,
        targets_checked=2,
        profiles=("critical", "session"),
        rules_run=("RL002", "RL101", "RL203", "RL204", "RL401"),
        texts={VALUES: VALUES_TEXT, RELEASE: RELEASE_TEXT, CONF: CONF_TEXT},
        assumptions=[CHART_ASSUMED, PRESET_ASSUMED, REDIS_ASSUMED, LAYER_ASSUMED],
    )
