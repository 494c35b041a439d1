"""`check --base`: real git repositories with a base commit and a change, for every transition rule and
for changes that must not fire."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.change.gitrepo import git, make_repo

from redislint.engine import CheckOptions, check_paths
from redislint.model import Report

TRANSITIONS = ("RL103", "RL212", "RL213", "RL214", "RL409", "RL410")


def hr(values: str, name: str = "cache", chart: str = "redis", version: str = "19.6.4") -> str:
    """A Flux HelmRelease of `chart` with these values (indented under spec.values)."""
    return (f"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {name}\n  namespace: apps\n"
            f"spec:\n  chart:\n    spec:\n      chart: {chart}\n      version: {version}\n  values:\n"
            + textwrap.indent(textwrap.dedent(values), "    "))


def check(repo: Path, paths: list[str] | None = None, profile: str = "cache", base: str | None = "base",
          **options) -> Report:
    report, _ = check_paths([str(repo / p) for p in (paths or ["."])],
                            CheckOptions(profile=profile, base=base, **options))
    return report


def found(report: Report, *rules: str) -> list[tuple[str, str, int]]:
    """(rule, file name, line) of the findings of `rules` (default: the transition rules)."""
    wanted = rules or TRANSITIONS
    return [(f.rule, Path(f.span.path).name, f.span.line) for f in report.findings if f.rule in wanted]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if fragment in line)


STANDALONE_RDB = """\
architecture: standalone
commonConfiguration: |
  appendonly no
  save 900 1
"""


# -- RL212 aof-enabled-on-existing-data --------------------------------------------------------------

def test_aof_switched_on_over_snapshots_on_a_volume(tmp_path: Path) -> None:
    changed = hr(STANDALONE_RDB.replace("appendonly no", "appendonly yes"))
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)}, {"redis.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL212", "redis.yaml", line_of(changed, "appendonly yes"))]
    f = report.findings[[x.rule for x in report.findings].index("RL212")]
    assert "redis-data-cache-redis-master-0" in f.message and "at base" in f.message
    assert f.severity.value == "error" and f.subject == "appendonly"


def test_only_the_master_is_reported_replicas_resync_from_it(tmp_path: Path) -> None:
    values = STANDALONE_RDB.replace("standalone", "replication")
    repo = make_repo(tmp_path, {"redis.yaml": hr(values)},
                     {"redis.yaml": hr(values.replace("appendonly no", "appendonly yes"))})
    report = check(repo)
    assert [(f.rule, f.role) for f in report.findings if f.rule in TRANSITIONS] == [("RL212", "master")]


def test_a_new_release_with_aof_on_is_no_transition(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"README.md": "cluster config\n"},
                     {"redis.yaml": hr(STANDALONE_RDB.replace("appendonly no", "appendonly yes"))})
    assert found(check(repo)) == []


def test_aof_switched_on_where_the_data_was_on_an_emptydir(tmp_path: Path) -> None:
    values = STANDALONE_RDB + "master:\n  persistence:\n    enabled: false\n"
    repo = make_repo(tmp_path, {"redis.yaml": hr(values)},
                     {"redis.yaml": hr(values.replace("appendonly no", "appendonly yes"))})
    assert found(check(repo)) == []


def test_aof_switched_on_where_no_snapshot_was_written(tmp_path: Path) -> None:
    values = STANDALONE_RDB.replace("save 900 1", 'save ""')
    repo = make_repo(tmp_path, {"redis.yaml": hr(values)},
                     {"redis.yaml": hr(values.replace("appendonly no", "appendonly yes"))})
    assert found(check(repo)) == []


def test_a_redis_conf_on_its_own_disk(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.conf": "dir /var/lib/redis\nappendonly no\n"},
                     {"redis.conf": "dir /var/lib/redis\nappendonly yes\n"})
    # No save line: Redis's default save points write dump.rdb in dir.
    assert found(check(repo)) == [("RL212", "redis.conf", 2)]


def test_an_uncommitted_change_is_compared_too(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)},
                     {"redis.yaml": hr(STANDALONE_RDB.replace("appendonly no", "appendonly yes"))}, commit=False)
    assert [r for r, _, _ in found(check(repo, base="HEAD"))] == ["RL212"]


# -- RL213 persistence-switched-off ------------------------------------------------------------------

def test_volume_switched_off(tmp_path: Path) -> None:
    off = hr(STANDALONE_RDB + "master:\n  persistence:\n    enabled: false\n")
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)}, {"redis.yaml": off})
    report = check(repo, select=("RL2", "RL4"))
    line = line_of(off, "enabled: false")
    assert found(report, "RL213", "RL401") == [("RL213", "redis.yaml", line)]  # RL401 says less: it steps back
    message = report.findings[[f.rule for f in report.findings].index("RL213")].message
    assert "refuses to remove volumeClaimTemplates" in message and "empty data set" in message
    # Without a base, the state finding is there.
    assert found(check(repo, base=None, select=("RL2", "RL4")), "RL401") == [("RL401", "redis.yaml", line)]


def test_volume_switched_off_is_a_warning_where_persistence_is_optional(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)},
                     {"redis.yaml": hr(STANDALONE_RDB + "master:\n  persistence:\n    enabled: false\n")})
    assert [f.severity.value for f in check(repo, profile="baseline").findings if f.rule == "RL213"] == ["warning"]
    assert found(check(repo, profile="ephemeral")) == []


def test_aof_switched_off_where_it_held_the_only_copy(tmp_path: Path) -> None:
    base = hr('architecture: standalone\ncommonConfiguration: |\n  appendonly yes\n  save ""\n')
    changed = hr("architecture: standalone\ncommonConfiguration: |\n  appendonly no\n  save 900 1\n")
    repo = make_repo(tmp_path, {"redis.yaml": base}, {"redis.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL213", "redis.yaml", line_of(changed, "appendonly no"))]
    assert "reads only dump.rdb" in report.findings[[f.rule for f in report.findings].index("RL213")].message


def test_dir_moved_off_the_volume(tmp_path: Path) -> None:
    # The chart's master.conf writes `dir /data` after commonConfiguration: the role's block decides.
    changed = hr(STANDALONE_RDB + "master:\n  configuration: |\n    dir /tmp\n")
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)}, {"redis.yaml": changed})
    report = check(repo, select=("RL2",))
    assert found(report, "RL213", "RL210") == [("RL213", "redis.yaml", line_of(changed, "dir /tmp"))]


# -- RL409 volume-claim-changed ----------------------------------------------------------------------

def _sized(size: str, extra: str = "") -> str:
    return hr(f"architecture: standalone\nmaster:\n  persistence:\n    size: {size}\n{extra}")


def test_claim_template_shrunk(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": _sized("16Gi")}, {"redis.yaml": _sized("8Gi")})
    report = check(repo)
    assert found(report) == [("RL409", "redis.yaml", line_of(_sized("8Gi"), "size: 8Gi"))]
    f = next(f for f in report.findings if f.rule == "RL409")
    assert "from 16Gi to 8Gi" in f.message and "are forbidden" in f.message and "migrate" in f.fix


def test_claim_template_grown_says_how(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": _sized("8Gi")}, {"redis.yaml": _sized("32Gi")})
    f = next(f for f in check(repo).findings if f.rule == "RL409")
    assert "--cascade=orphan" in f.fix and "cache-redis-master" in f.fix


def test_storage_class_and_access_modes(tmp_path: Path) -> None:
    changed = _sized("8Gi", "    storageClass: fast-ssd\n    accessModes: [ReadWriteMany]\n")
    repo = make_repo(tmp_path, {"redis.yaml": _sized("8Gi")}, {"redis.yaml": changed})
    f = next(f for f in check(repo).findings if f.rule == "RL409")
    assert "storageClassName 'fast-ssd'" in f.message and "ReadWriteOnce to ReadWriteMany" in f.message
    assert f.span.line == line_of(changed, "storageClass")


def test_persistence_switched_on_for_an_existing_statefulset(tmp_path: Path) -> None:
    base = hr("architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n")
    changed = hr("architecture: standalone\nmaster:\n  persistence:\n    enabled: true\n")
    repo = make_repo(tmp_path, {"redis.yaml": base}, {"redis.yaml": changed})
    assert found(check(repo)) == [("RL409", "redis.yaml", line_of(changed, "enabled: true"))]


def test_an_existing_claim_is_not_the_charts_to_resize(tmp_path: Path) -> None:
    extra = "    existingClaim: redis-data\n"
    repo = make_repo(tmp_path, {"redis.yaml": _sized("16Gi", extra)}, {"redis.yaml": _sized("8Gi", extra)})
    assert found(check(repo)) == []


# -- RL410 data-path-moved ---------------------------------------------------------------------------

def test_fullname_override_moves_the_data(tmp_path: Path) -> None:
    changed = hr("architecture: standalone\nfullnameOverride: session-cache\n")
    repo = make_repo(tmp_path, {"redis.yaml": hr("architecture: standalone\nfullnameOverride: cache\n")},
                     {"redis.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL410", "redis.yaml", line_of(changed, "fullnameOverride"))]
    f = report.findings[0] if report.findings[0].rule == "RL410" else next(x for x in report.findings if x.rule == "RL410")
    assert "redis-data-cache-master-0" in f.message and "redis-data-session-cache-master-0" in f.message
    assert "existingClaim: redis-data-cache-master-0" in f.fix


def test_renamed_release_moves_the_data(tmp_path: Path) -> None:
    values = "architecture: standalone\n"
    repo = make_repo(tmp_path, {"redis.yaml": hr(values, name="cache")}, {"redis.yaml": hr(values, name="sessions")})
    report = check(repo)
    assert found(report) == [("RL410", "redis.yaml", 4)]  # metadata.name
    assert "renamed from cache to sessions" in next(f.message for f in report.findings if f.rule == "RL410")


def test_chart_switched_from_redis_to_valkey_moves_the_data(tmp_path: Path) -> None:
    values = "architecture: standalone\n"
    changed = hr(values, chart="valkey", version="3.0.16")
    repo = make_repo(tmp_path, {"redis.yaml": hr(values)}, {"redis.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL410", "redis.yaml", line_of(changed, "chart: valkey"))]
    assert "valkey-data-cache-valkey-primary-0" in next(f.message for f in report.findings if f.rule == "RL410")


def test_sentinel_switched_on_moves_the_data_to_the_node_statefulset(tmp_path: Path) -> None:
    base = hr("architecture: replication\n")
    changed = hr("architecture: replication\nsentinel:\n  enabled: true\n")
    repo = make_repo(tmp_path, {"redis.yaml": base}, {"redis.yaml": changed})
    report = check(repo)
    assert [(r, line) for r, _, line in found(report)] == [("RL410", line_of(changed, "enabled: true"))]
    assert "redis-data-cache-redis-node-0" in report.findings[-1].message or any(
        "cache-redis-node" in f.message for f in report.findings)


def test_dbfilename_renamed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.conf": "save 900 1\ndbfilename dump.rdb\n"},
                     {"redis.conf": "save 900 1\ndbfilename cache.rdb\n"})
    assert found(check(repo)) == [("RL410", "redis.conf", 2)]


def test_dir_moved_inside_the_volume(tmp_path: Path) -> None:
    changed = hr(STANDALONE_RDB + "master:\n  configuration: |\n    dir /data/redis\n")
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB)}, {"redis.yaml": changed})
    assert found(check(repo)) == [("RL410", "redis.yaml", line_of(changed, "dir /data/redis"))]


# -- RL103 values-dropped-by-upgrade -----------------------------------------------------------------

VALKEY_1 = """\
architecture: standalone
master:
  persistence:
    size: 32Gi
sentinel:
  masterSet: cache
"""


def test_valkey_2_drops_master_keys(tmp_path: Path) -> None:
    base = hr(VALKEY_1, chart="valkey", version="1.0.3")
    changed = hr(VALKEY_1, chart="valkey", version="2.4.7")
    repo = make_repo(tmp_path, {"redis.yaml": base}, {"redis.yaml": changed})
    report = check(repo, select=("RL1",))
    assert found(report, "RL101", "RL102", "RL103") == [("RL103", "redis.yaml", line_of(changed, "version: 2.4.7"))]
    f = report.findings[0]
    assert "master.* (now primary.*)" in f.message and "sentinel.masterSet (now sentinel.primarySet)" in f.message
    assert [r.span.line for r in f.related] == [line_of(changed, "master:"), line_of(changed, "masterSet")]
    # Without a base the keys are still reported, one by one.
    assert sorted(r for r, _, _ in found(check(repo, base=None, select=("RL1",)), "RL101", "RL102")) == ["RL101", "RL102"]


def test_keys_already_dropped_before_the_change_are_not_the_changes_doing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": hr(VALKEY_1, chart="valkey", version="2.0.0")},
                     {"redis.yaml": hr(VALKEY_1, chart="valkey", version="2.4.7")})
    assert found(check(repo, select=("RL1",)), "RL103") == []


# -- RL214 rdb-format-downgrade ----------------------------------------------------------------------

def _tagged(tag: str) -> str:
    return hr(f"architecture: standalone\nimage:\n  tag: {tag}\n")


def test_image_downgrade_across_an_rdb_format(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": _tagged("7.4.1-debian-12-r0")}, {"redis.yaml": _tagged("7.2.5-debian-12-r0")})
    report = check(repo)
    assert found(report) == [("RL214", "redis.yaml", line_of(_tagged("x"), "tag:"))]
    assert "RDB format 12" in report.findings[-1].message or any("format 12" in f.message for f in report.findings)


def test_upgrades_and_same_format_moves_are_fine(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": _tagged("7.2.5-debian-12-r0")}, {"redis.yaml": _tagged("7.4.1-debian-12-r0")})
    assert found(check(repo)) == []
    repo = make_repo(tmp_path / "b", {"redis.yaml": _tagged("7.4.1-debian-12-r0")}, {"redis.yaml": _tagged("8.0.2-debian-12-r0")})
    assert found(check(repo)) == []


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: apps
spec:
  serviceName: cache
  template:
    spec:
      containers:
        - name: server
          image: {image}
          command: [{server}]
          args: ["--save", "900 1", "--dir", "/data"]
          volumeMounts:
            - name: data
              mountPath: /data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 8Gi
"""


def test_redis_7_4_to_valkey_on_the_same_claim(tmp_path: Path) -> None:
    changed = STATEFULSET.format(image="valkey/valkey:8.0.1", server="valkey-server")
    repo = make_repo(tmp_path, {"sts.yaml": STATEFULSET.format(image="redis:7.4.1", server="redis-server")}, {"sts.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL214", "sts.yaml", line_of(changed, "image:"))]
    assert "refuses formats 12 to 79" in next(f.message for f in report.findings if f.rule == "RL214")
    # Redis 7.2 writes format 11, which Valkey reads.
    repo = make_repo(tmp_path / "b", {"sts.yaml": STATEFULSET.format(image="redis:7.2.5", server="redis-server")}, {"sts.yaml": changed})
    assert found(check(repo)) == []


def test_a_statefulset_claim_template_resized(tmp_path: Path) -> None:
    base = STATEFULSET.format(image="redis:7.2.5", server="redis-server")
    changed = base.replace("storage: 8Gi", "storage: 4Gi")
    repo = make_repo(tmp_path, {"sts.yaml": base}, {"sts.yaml": changed})
    report = check(repo)
    assert found(report) == [("RL409", "sts.yaml", line_of(changed, "storage: 4Gi"))]
    assert "StatefulSet cache" in report.findings[-1].message or any("StatefulSet cache" in f.message
                                                                    for f in report.findings)


# -- changes that must not fire ----------------------------------------------------------------------

def test_a_resource_change_is_no_data_transition(tmp_path: Path) -> None:
    def with_memory(size: str) -> str:
        return hr(STANDALONE_RDB.replace("appendonly no", "appendonly yes") + "master:\n  resources:\n    limits:\n"
                  f"      memory: {size}\n    requests:\n      memory: {size}\n")

    repo = make_repo(tmp_path, {"redis.yaml": with_memory("1Gi")}, {"redis.yaml": with_memory("2Gi")})
    assert found(check(repo)) == []


def test_a_rename_without_a_content_change(tmp_path: Path) -> None:
    text = hr(STANDALONE_RDB)
    repo = make_repo(tmp_path, {"apps/redis.yaml": text})
    git(repo, "mv", "apps/redis.yaml", "apps/cache-redis.yaml")
    git(repo, "commit", "-q", "-m", "rename")
    report = check(repo)
    assert found(report) == []
    # The state findings are those of a run without a base.
    assert report.findings == check(repo, base=None).findings


def test_a_renamed_file_is_compared_with_its_old_self(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"apps/redis.yaml": hr(STANDALONE_RDB)})
    git(repo, "mv", "apps/redis.yaml", "apps/cache-redis.yaml")
    path = repo / "apps" / "cache-redis.yaml"
    path.write_text(path.read_text().replace("appendonly no", "appendonly yes"))
    report = check(repo, ["apps/cache-redis.yaml"])
    assert found(report) == [("RL212", "cache-redis.yaml", line_of(path.read_text(), "appendonly yes"))]
    assert "in apps/redis.yaml" in next(f.message for f in report.findings if f.rule == "RL212")


def test_a_release_moved_to_another_file(tmp_path: Path) -> None:
    text = hr(STANDALONE_RDB)
    other = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"
    repo = make_repo(tmp_path, {"all.yaml": other + "---\n" + text}, {"all.yaml": other, "redis.yaml": text})
    assert found(check(repo)) == []
    repo = make_repo(tmp_path / "b", {"all.yaml": other + "---\n" + text},
                     {"all.yaml": other, "redis.yaml": text.replace("appendonly no", "appendonly yes")})
    assert [r for r, _, _ in found(check(repo))] == ["RL212"]


def test_nothing_changed_gives_the_state_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"redis.yaml": hr(STANDALONE_RDB), "redis.conf": "appendonly no # comment\n"})
    assert check(repo).findings == check(repo, base=None).findings


# -- a change in a file the release reads ------------------------------------------------------------

RELEASE_READING_VALUES = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chart:
    spec:
      chart: redis
      version: 19.6.4
  valuesFrom:
    - kind: ConfigMap
      name: cache-values
"""


def _values_cm(appendonly: str) -> str:
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache-values\n  namespace: apps\ndata:\n"
            "  values.yaml: |\n    architecture: standalone\n    commonConfiguration: |\n"
            f"      appendonly {appendonly}\n      save 900 1\n")


@pytest.mark.parametrize("checked", [["."], ["apps/values.yaml"]], ids=["repository", "changed-file-only"])
def test_a_change_in_the_values_configmap_of_an_unchanged_release(tmp_path: Path, checked: list[str]) -> None:
    repo = make_repo(tmp_path, {"apps/release.yaml": RELEASE_READING_VALUES, "apps/values.yaml": _values_cm("no"),
                                "other/unrelated.yaml": hr(STANDALONE_RDB, name="other")},
                     {"apps/values.yaml": _values_cm("yes")})
    assert found(check(repo, checked)) == [("RL212", "values.yaml", line_of(_values_cm("yes"), "appendonly yes"))]
