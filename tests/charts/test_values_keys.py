"""values_keys: which values keys a chart release reads (RL101) and which its mode ignores (RL102)."""

from __future__ import annotations

import json
import textwrap

import pytest

from redislint.charts.values_keys import key_table, values_key_issues
from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.sources import MapNode, load_yaml


def view_of(text: str, *more: str, prefix: tuple[str, ...] = ()) -> ValuesView:
    """A ValuesView over one or more YAML documents (later ones win, as Flux layers do)."""
    layers = []
    for i, t in enumerate((text,) + more):
        root = load_yaml(f"values{i}.yaml", textwrap.dedent(t).lstrip("\n")).documents[0].root
        assert isinstance(root, MapNode)
        layers.append(ValuesLayer(f"layer {i}", root, prefix))
    return ValuesView(layers)


def issues(text: str, chart: str = "bitnami/redis", version=(20, 0, 3), mode: str = "standalone",
           prefixes=("master",), **kw):
    return values_key_issues(view_of(text, **kw), chart, version, mode, prefixes)


def where(found) -> list[tuple[str, str, int, int]]:
    return [(i.code, i.subject, i.span.line, i.span.column) for i in found]


# ------------------------------------------------------------------------------------------
# The key table


class TestKeyTable:
    def test_architecture_arrived_in_14(self):
        table = key_table("bitnami/redis")
        assert table is not None
        assert table.known("architecture", (14, 0, 0))
        assert not table.known("architecture", (13, 0, 2))
        assert table.known("cluster.enabled", (13, 0, 2))
        assert not table.known("cluster.enabled", (14, 0, 0))

    def test_key_added_inside_a_major_uses_first_version(self):
        table = key_table("bitnami/redis")
        assert table is not None
        assert table.known("master.resourcesPreset", (18, 14, 0))
        assert not table.known("master.resourcesPreset", (18, 1, 0))

    def test_intermediate_release_keys_are_known_in_their_range(self):
        # metrics.sentinel.* existed only in 14.0.0 – 14.7.2: the v14 column is empty.
        table = key_table("bitnami/redis")
        assert table is not None
        assert table.known("metrics.sentinel.enabled", (14, 2, 0))
        assert not table.known("metrics.sentinel.enabled", (14, 8, 11))

    def test_later_majors_use_the_newest_column(self):
        table = key_table("bitnami/redis")
        assert table is not None
        assert table.column((99, 0, 0)) == table.majors[-1]
        assert table.column((9, 0, 0)) is None

    def test_valkey_master_became_primary_in_2(self):
        table = key_table("bitnami/valkey")
        assert table is not None
        assert table.known("master.persistence.size", (1, 0, 3))
        assert not table.known("master.persistence.size", (2, 0, 0))
        assert table.known("primary.persistence.size", (2, 0, 0))

    def test_unknown_chart_has_no_table(self):
        assert key_table("someone/else") is None
        assert values_key_issues(view_of("a: 1"), "someone/else", None, "standalone", ("master",)) == []


# ------------------------------------------------------------------------------------------
# RL101


class TestUnknownKeys:
    def test_typo_with_did_you_mean(self):
        found = issues("""
            architecture: standalone
            master:
              persistance:
                size: 16Gi
        """)
        assert where(found) == [("RL101", "master.persistance", 3, 3)]
        assert "did you mean master.persistence?" in found[0].message
        assert found[0].fix == "Rename it to master.persistence"
        assert not found[0].message.endswith(".")

    def test_case_mismatch_is_suggested(self):
        found = issues("master:\n  ResourcesPreset: small\n")
        assert "did you mean master.resourcesPreset?" in found[0].message

    def test_renamed_key_names_the_new_one(self):
        found = issues("usePassword: false\narchitecture: standalone\n")
        assert where(found) == [("RL101", "usePassword", 1, 1)]
        assert "14.0.0 renamed it to auth.enabled" in found[0].message
        assert found[0].fix == "Use auth.enabled instead"

    def test_block_of_an_older_major_lists_child_renames(self):
        found = issues("cluster:\n  enabled: false\n  slaveCount: 1\n")
        assert where(found) == [("RL101", "cluster", 1, 1)]
        message = found[0].message
        assert "cluster is a key of bitnami/redis 10.x–13.x" in message
        assert "14.0.0 replaced cluster.enabled with architecture" in message
        assert "14.0.0 renamed cluster.slaveCount to replica.replicaCount" in message

    def test_newer_key_on_an_older_release(self):
        found = issues("architecture: standalone\n", version=(13, 0, 2), prefixes=("master",))
        assert where(found) == [("RL101", "architecture", 1, 1)]
        assert "reads it only from 14.0.0" in found[0].message

    def test_removed_key(self):
        found = issues("sentinel:\n  staticID: true\n", version=(16, 0, 0), mode="sentinel", prefixes=("replica",))
        assert "removed in 15.0.0" in found[0].message

    def test_dotted_key_is_one_key(self):
        found = issues("master.persistence.size: 16Gi\n")
        assert where(found) == [("RL101", "master.persistence.size", 1, 1)]
        assert "one key with dots in its name" in found[0].message

    def test_wrong_level_suggests_the_role_block(self):
        found = issues("persistence:\n  size: 16Gi\n", prefixes=("master", "replica"), mode="replication")
        assert "did you mean master.persistence?" in found[0].message

    def test_freeform_maps_global_and_k8s_objects_are_not_judged(self):
        assert issues("""
            global:
              imageRegistry: x
              anotherSubchart: {enabled: true}
            commonLabels:
              app.kubernetes.io/part-of: shop
            master:
              podAnnotations: {anything: goes}
              resources:
                limits: {memory: 2Gi, hugepages-2Mi: 0}
              affinity:
                nodeAffinity: {}
              persistence:
                selector:
                  matchLabels: {tier: redis}
              containerSecurityContext:
                seccompProfile: {type: RuntimeDefault}
        """) == []

    def test_scalar_given_a_map_is_not_descended(self):
        # commonConfiguration is a string; a map there is a type problem, not unknown keys.
        assert issues("commonConfiguration:\n  appendonly: yes\n") == []

    def test_keys_under_lists_are_not_judged(self):
        assert issues("master:\n  extraVolumes:\n    - name: x\n      whatever: 1\n") == []

    def test_every_declared_scalar_of_the_newest_major_is_known(self):
        # Build a values file from the table itself: no key may be reported.
        table = key_table("bitnami/redis")
        assert table is not None
        tree: dict = {}
        for path, row in table.rows.items():
            if "[]" in path or row.majors.get(23) != "yes" or row.type not in ("string", "int", "bool"):
                continue
            parts = path.split(".")
            if any(table.rows.get(".".join(parts[:i])) and table.rows[".".join(parts[:i])].type != "map"
                   for i in range(1, len(parts))):
                continue
            node = tree
            for p in parts[:-1]:
                node = node.setdefault(p, {})
                if not isinstance(node, dict):
                    break
            else:
                node.setdefault(parts[-1], json.loads(row.default) if row.default else "")
        assert len(json.dumps(tree)) > 5000
        assert [i for i in issues(json.dumps(tree), version=(23, 1, 1)) if i.code == "RL101"] == []

    def test_layers_merge_and_spans_point_at_the_writing_layer(self):
        view = view_of("master:\n  persistence:\n    size: 8Gi\n", "master:\n  persistance: {size: 1Gi}\n")
        found = values_key_issues(view, "bitnami/redis", (20, 0, 3), "standalone", ("master",))
        assert [(i.subject, i.span.path) for i in found] == [("master.persistance", "values1.yaml")]

    def test_subchart_enabled_flag_is_the_parent_condition(self):
        found = issues("redis:\n  enabled: true\n  architecture: standalone\n  master:\n    kount: 1\n",
                       prefix=("redis",))
        assert where(found) == [("RL101", "master.kount", 5, 5)]

    @pytest.mark.parametrize("version", [(20, 0, 3), "20.0.3", None])
    def test_version_forms(self, version):
        found = values_key_issues(view_of("controller: {}\n"), "bitnami/redis", version, "standalone", ("master",))
        assert [i.subject for i in found] == ["controller"]

    def test_releases_older_than_the_table_are_not_judged(self):
        assert issues("anything: 1\n", version=(8, 0, 0)) == []


# ------------------------------------------------------------------------------------------
# RL102


class TestIgnoredInMode:
    def test_replica_block_in_standalone(self):
        found = issues("""
            architecture: standalone
            replica:
              replicaCount: 2
              persistence:
                size: 16Gi
              podAnnotations: {a: b}
        """)
        assert where(found) == [("RL102", "replica.replicaCount", 3, 3), ("RL102", "replica.persistence", 4, 3)]
        assert "no effect with architecture standalone" in found[0].message

    def test_switched_off_and_default_values_are_harmless(self):
        assert issues("""
            architecture: standalone
            replica:
              replicaCount: 0
              kind: StatefulSet
              persistence: {enabled: false}
              configuration: ""
              resources: {}
              podSecurityContext: {enabled: true, fsGroup: 1001}
        """) == []

    def test_master_block_in_sentinel_mode(self):
        found = issues("""
            sentinel: {enabled: true}
            master:
              resources:
                limits: {memory: 2Gi}
              extraFlags: ["--maxmemory 1gb"]
        """, mode="sentinel", prefixes=("replica",))
        assert [i.subject for i in found] == ["master.resources", "master.extraFlags"]
        assert found[0].fix == "Move it to replica.resources"

    def test_sentinel_mode_before_16_2_1_still_reads_master_conf(self):
        text = "master:\n  configuration: |\n    maxmemory 1gb\n  persistence: {size: 16Gi}\n"
        old = issues(text, version=(16, 0, 0), mode="sentinel", prefixes=("replica",))
        new = issues(text, version=(16, 2, 1), mode="sentinel", prefixes=("replica",))
        assert [i.subject for i in old] == ["master.persistence"]
        assert [i.subject for i in new] == ["master.configuration", "master.persistence"]

    def test_sentinel_settings_while_sentinel_is_off(self):
        found = issues("sentinel:\n  quorum: 3\n  downAfterMilliseconds: 60000\n", mode="replication",
                       prefixes=("master", "replica"))
        assert where(found) == [("RL102", "sentinel.quorum", 2, 3)]  # 60000 is the default
        assert issues("sentinel:\n  enabled: false\n  quorum: 3\n", mode="replication",
                      prefixes=("master", "replica")) == []

    def test_sentinel_with_standalone_fails_the_render(self):
        found = issues("architecture: standalone\nsentinel:\n  enabled: true\n  quorum: 3\n")
        assert where(found) == [("RL102", "sentinel.enabled", 3, 3)]
        assert "refuse to render" in found[0].message

    def test_valkey_2_master_block_is_reported_once(self):
        found = issues("""
            architecture: standalone
            master:
              persistance: {size: 1Gi}
              configuration: |
                maxmemory 1gb
        """, chart="bitnami/valkey", version=(2, 4, 7), prefixes=("primary",))
        assert where(found) == [("RL102", "master", 2, 1)]
        assert "renamed every master.* key to primary.*" in found[0].message
        assert found[0].fix == "Rename master: to primary:"

    def test_valkey_1_primary_block(self):
        found = issues("primary:\n  kind: Deployment\n", chart="bitnami/valkey", version=(1, 0, 3))
        assert where(found) == [("RL102", "primary", 1, 1)]
        assert "read only from 2.0.0" in found[0].message

    def test_legacy_chart_reads_slave_not_replica(self):
        found = issues("cluster:\n  enabled: true\nreplica:\n  replicaCount: 2\n", version=(13, 0, 2),
                       mode="replication", prefixes=("master", "slave"))
        assert where(found) == [("RL102", "replica", 3, 1)]
        assert "this release reads slave.*" in found[0].message

    def test_legacy_standalone_is_cluster_enabled_false(self):
        found = issues("cluster:\n  enabled: false\nslave:\n  persistence: {size: 1Gi}\n", version=(12, 10, 1),
                       prefixes=("master",))
        assert where(found) == [("RL102", "slave.persistence", 4, 3)]
        assert "no effect with cluster.enabled false" in found[0].message

    def test_empty_role_block_of_another_major_is_harmless(self):
        assert issues("slave: {}\n") == []
