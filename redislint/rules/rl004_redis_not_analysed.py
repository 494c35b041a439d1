"""A Redis deployment that redislint found but could not analyse.

## What it does
Reports a document that looks like a Redis deployment (a Redis chart, a Redis or Valkey image, a
Redis operator's resource, a parent chart's `redis.enabled: true`) but from which redislint could
not work out the configuration Redis runs with, and says why: a chart it does not model (Redis
Cluster, an operator), a container that starts Redis through a shell script or through Bitnami's
environment-driven scripts, a chart rendered by an Argo CD plugin, `stable/redis-ha` before 3.0.0.
The finding sits on the line that made the document look like Redis.

## Why is this bad?
A linter that skips what it cannot read turns green exactly where nobody looked. When a run says
"0 findings", a Redis that was never analysed must not hide in it: this finding says that the
checks did not cover it, so a reviewer knows to look at it by hand.

## Example
```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.2
          command: ["sh", "-c"]
          args:
            - |
              cp /tmpl/redis.conf /data/redis.conf
              exec redis-server /data/redis.conf
```

## Use instead
```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.2
          command: ["redis-server", "/etc/redis/redis.conf"]
          volumeMounts:
            - name: config
              mountPath: /etc/redis
      volumes:
        - name: config
          configMap:
            name: cache-config
```

## Fix
Start redis-server directly (or through `sh -c` running only redis-server), with its config in a
ConfigMap that is among the inputs; for a chart redislint does not model, review its Redis
settings by hand and suppress this finding with a reason.
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL004", "redis-not-analysed", "validity", Severity.WARNING, __doc__, scope="source",
              tags=("coverage",))
