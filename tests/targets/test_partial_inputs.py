"""Partial inputs are unknown, not defaults; value files are found where Argo CD finds them; values
strings are values (their duplicate keys at their exact lines), never a redis.conf."""

from __future__ import annotations

import base64
import subprocess
import textwrap
from pathlib import Path

from redislint.engine import CheckOptions, check_paths
from redislint.model import Severity

MI = 1024 * 1024


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def run(paths: list[str], profile: str = "critical"):
    report, targets = check_paths(paths, CheckOptions(profile=profile))
    return targets, report.findings


def by_rule(findings) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for f in sorted(findings, key=lambda f: (f.rule, f.span.line)):
        out.setdefault(f.rule, []).append((f.span.line, f.severity.value))
    return out


RELEASE = """\
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: redis
      namespace: cache
    spec:
      chart:
        spec:
          chart: redis
          version: 19.6.4
      valuesFrom:
        - kind: ConfigMap
          name: redis-values
      values:
        architecture: standalone
        master:
          configuration: |
            appendonly yes # keep AOF on
    """


def test_release_without_its_values_configmap_reports_no_error_from_chart_defaults(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", RELEASE)
    [t], findings = run([hr])
    assert t.partial is not None and t.partial.unseen == ("valuesFrom ConfigMap redis-values (key values.yaml)",)
    rules = by_rule(findings)
    # The reference, once, at its line (an error under critical); the line Redis refuses, in a layer
    # that no valuesFrom item overrides, is an error whatever the ConfigMap holds.
    assert rules.pop("RL003") == [(12, "error")]
    assert rules.pop("RL013") == [(18, "error")]
    # Everything computed from what the unseen layer may set is a note that says so.
    assert rules and all(sev == "note" for found in rules.values() for _, sev in found), rules
    assert {"RL301", "RL302", "RL201"} & set(rules) or {"RL301", "RL303", "RL201"} & set(rules)
    note = next(f for f in findings if f.rule == "RL301")
    assert note.message.startswith("Unless valuesFrom ConfigMap redis-values (key values.yaml), which was not read, "
                                   "changes it: maxmemory is 0")


def test_the_same_release_with_its_configmap_is_judged_in_full(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", RELEASE)
    cm = write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-values
          namespace: cache
        data:
          values.yaml: |
            master:
              resources:
                limits:
                  memory: 1Gi
        """)
    [t], findings = run([hr, cm])
    assert t.partial is None
    rules = by_rule(findings)
    assert "RL003" not in rules and ("RL301" in rules and rules["RL301"][0][1] == "error")


def test_a_target_path_item_may_override_inline_values_so_their_lines_are_not_settled(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", RELEASE.replace("""\
        - kind: ConfigMap
          name: redis-values""", """\
        - kind: Secret
          name: redis-config
          valuesKey: configuration
          targetPath: master.configuration"""))
    _, findings = run([hr])
    rules = by_rule(findings)
    assert rules.pop("RL003") == [(12, "error")]
    assert rules.pop("RL013") == [(20, "note")]


def test_application_with_missing_value_files_even_when_ignored(tmp_path: Path) -> None:
    app = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
          namespace: argocd
        spec:
          sources:
            - repoURL: https://charts.bitnami.com/bitnami
              chart: redis
              targetRevision: 20.6.2
              helm:
                ignoreMissingValueFiles: true
                valueFiles:
                  - $values/envs/prod/redis.yaml
                valuesObject:
                  architecture: standalone
            - repoURL: https://git.example.com/values.git
              targetRevision: main
              ref: values
        """)
    _, findings = run([app])
    rules = by_rule(findings)
    assert rules.pop("RL003") == [(14, "note")]
    assert all(sev == "note" for found in rules.values() for _, sev in found), rules
    [ref] = [f for f in findings if f.rule == "RL003"]
    assert "with ignoreMissingValueFiles Argo CD uses it when it exists" in ref.message


def test_workload_without_its_config_file_keeps_only_what_its_flags_settle(tmp_path: Path) -> None:
    sts = write(tmp_path, "sts.yaml", """\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: redis
        spec:
          template:
            spec:
              containers:
                - name: redis
                  image: redis:7.2.4
                  args: ["redis-server", "/etc/redis/redis.conf", "--maxmemory", "100mb # cap"]
                  volumeMounts:
                    - name: config
                      mountPath: /etc/redis
              volumes:
                - name: config
                  configMap:
                    name: redis-conf
        """)
    [t], findings = run([sts])
    assert t.partial is not None and t.partial.unseen == ("the config file /etc/redis/redis.conf",)
    rules = by_rule(findings)
    assert rules.pop("RL003") == [(11, "error")]
    assert rules.pop("RL011") == [(11, "error")]  # `100mb # cap` is refused whatever the file holds
    assert all(sev == "note" for found in rules.values() for _, sev in found), rules


# ---------------------------------------------------------------------------------------------
# Argo CD valueFiles, as Argo CD resolves them.

APP = """\
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: cache
      namespace: argocd
    spec:
      source:
        repoURL: https://git.example.com/platform.git
        path: {path}
        targetRevision: main
        helm:
          valueFiles:
    {{files}}
          valuesObject:
            architecture: standalone
    """
BAD_VALUES = """\
    architecture: standalone
    commonConfiguration: |-
      appendonly yes # on
    """
BENIGN_VALUES = """\
    architecture: standalone
    commonConfiguration: |-
      appendonly no
    """


def app(tmp_path: Path, name: str, path: str, *files: str) -> str:
    listed = "\n".join(f"        - {f}" for f in files)
    text = textwrap.dedent(APP.replace("{path}", path)).replace("{{files}}", listed)
    return write(tmp_path, name, text)


def test_a_bare_name_that_fits_several_files_is_ambiguous_and_hides_nothing(tmp_path: Path) -> None:
    a = write(tmp_path, "a/values.yaml", BAD_VALUES)
    b = write(tmp_path, "b/values.yaml", BENIGN_VALUES)
    application = app(tmp_path, "apps/app.yaml", ".", "values.yaml")
    targets, findings = run([application, a, b], profile="cache")
    [ref] = [f for f in findings if f.rule == "RL003"]
    assert (Path(ref.span.path).name, ref.span.line) == ("app.yaml", 13)
    assert "fits 2 files among the inputs" in ref.message and "none was used" in ref.message
    # a/values.yaml is still checked where it stands: the line Redis refuses is reported there.
    assert [(Path(f.span.path).parent.name, f.span.line) for f in findings if f.rule == "RL013"] == [("a", 3)]
    app_target = next(t for t in targets if t.name == "argocd/cache")
    assert app_target.partial is not None


def test_value_files_resolve_inside_the_application_s_git_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    chart_values = write(repo, "charts/cache/values-prod.yaml", BAD_VALUES)
    elsewhere = write(repo, "other/values-prod.yaml", BENIGN_VALUES)
    app(repo, "apps/app.yaml", "charts/cache", "values-prod.yaml", "/shared/common.yaml")
    write(repo, "shared/common.yaml", "master:\n  resources:\n    limits:\n      memory: 1Gi\n")
    targets, findings = run([str(repo)], profile="cache")
    t = next(t for t in targets if t.name == "argocd/cache")
    assert [layer.name for layer in t.values.layers] == ["valueFiles values-prod.yaml",
                                                         "valueFiles /shared/common.yaml", "helm.valuesObject"]
    assert t.partial is None and t.facts.memory_limit.value == 1024 * MI
    # The same-named file at another path is no layer of this Application.
    assert all(Path(layer.root.span.path) != Path(elsewhere) for layer in t.values.layers)
    rl013 = [(f.target, f.span.line) for f in findings if f.rule == "RL013"]
    assert rl013 == [("argocd/cache", 3)], rl013  # reported once, by the Application that reads it
    assert Path(chart_values).exists()


def test_value_file_globs_expand_in_argo_cd_order(tmp_path: Path) -> None:
    for name, size in (("envs/b.yaml", "2Gi"), ("envs/a.yaml", "1Gi"), ("envs/nested/c.yaml", "3Gi"),
                       ("envs/z.yaml", "4Gi")):
        write(tmp_path, f"chart/{name}", f"master:\n  persistence:\n    size: {size}\n")
    application = app(tmp_path, "app.yaml", "chart", "envs/**/*.yaml", "envs/z.yaml")
    targets, _ = run([application, str(tmp_path / "chart")], profile="cache")
    [t] = [t for t in targets if t.name == "argocd/cache"]
    # Subdirectories after a directory's own files; z.yaml keeps its explicit, last place.
    assert [layer.name.rsplit("/", 1)[-1] for layer in t.values.layers] == [
        "a.yaml)", "b.yaml)", "c.yaml)", "z.yaml", "helm.valuesObject"]


def test_value_files_of_a_packaged_chart_are_inside_the_package(tmp_path: Path) -> None:
    write(tmp_path, "values-production.yaml", BAD_VALUES)
    application = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          source:
            repoURL: https://charts.bitnami.com/bitnami
            chart: redis
            targetRevision: 12.10.1
            helm:
              valueFiles:
                - values-production.yaml
        """)
    targets, findings = run([str(tmp_path)], profile="cache")
    t = next(t for t in targets if t.name == "cache")
    assert [layer.unseen for layer in t.values.layers] == ["valueFiles values-production.yaml"]
    [ref] = [f for f in findings if f.rule == "RL003" and f.target == "cache"]
    assert "inside the chart package (redis)" in ref.message and ref.span.line == 12
    assert Path(application).exists()


def test_value_files_that_leave_the_repository_or_are_templated(tmp_path: Path) -> None:
    application = app(tmp_path, "app.yaml", "charts/cache", "../../../etc/values.yaml",
                      "'values-{{path.basename}}.yaml'")
    _, findings = run([application], profile="cache")
    messages = sorted((f.span.line, f.message) for f in findings if f.rule == "RL003")
    assert "points outside the repository; Argo CD refuses it" in messages[0][1]
    assert "is filled in when the Application is generated" in messages[1][1]


# ---------------------------------------------------------------------------------------------
# Values strings: values, not redis.conf; duplicate keys at their exact lines, later wins.


def test_configmap_holding_helm_values_is_values_never_a_redis_conf(tmp_path: Path) -> None:
    cm = write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-values
        data:
          values.yaml: |
            architecture: standalone
            commonConfiguration: |-
              appendonly yes
              appendfsync everysec
            master:
              persistence:
                size: 8Gi
              persistence:
                size: 16Gi
          other-values: |
            image:
              tag: "1.2"
            settings:
              appendonly: yes
        """)
    targets, findings = run([cm], profile="cache")
    [t] = targets
    assert (t.name, t.kind, t.chart) == ("redis-values:values.yaml", "ConfigMap", "bitnami/redis")
    assert t.facts.storage_size.value == 16 * 1024 * MI and t.facts.storage_size.span.line == 15
    assert not [f for f in findings if f.rule in ("RL010", "RL014")]
    assert [(f.rule, f.span.line, f.span.column) for f in findings if f.rule == "RL002"] == [("RL002", 14, 7)]


def test_duplicate_keys_in_argo_values_string_and_values_from(tmp_path: Path) -> None:
    app_path = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          source:
            repoURL: https://charts.bitnami.com/bitnami
            chart: redis
            targetRevision: 19.6.4
            helm:
              values: |
                architecture: standalone
                master:
                  resourcesPreset: small
                master:
                  resourcesPreset: large
        """)
    secret_values = "master:\n  resourcesPreset: micro\nmaster:\n  resourcesPreset: medium\n"
    hr = write(tmp_path, "hr.yaml", f"""\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: other
        spec:
          chart:
            spec:
              chart: redis
          valuesFrom:
            - kind: ConfigMap
              name: values-cm
            - kind: Secret
              name: values-secret
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: values-cm
        data:
          values.yaml: |
            architecture: standalone
            architecture: replication
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: values-secret
        data:
          values.yaml: {base64.b64encode(secret_values.encode()).decode()}
        """)
    targets, findings = run([app_path, hr], profile="cache")
    app_target = next(t for t in targets if t.name == "cache")
    assert app_target.facts.resources_preset.value == "large"  # the later key wins, as in Helm
    assert {t.role for t in targets if t.name == "other"} == {"master", "replica"}
    dups = sorted((Path(f.span.path).name, f.span.line, f.span.column) for f in findings if f.rule == "RL002")
    # Base64 Secret data cannot be mapped line by line: its finding points at the value.
    assert dups == [("app.yaml", 15, 9), ("hr.yaml", 22, 5), ("hr.yaml", 29, 16)]
    secret_dup = next(f for f in findings if f.rule == "RL002" and f.span.line == 29)
    assert "micro" not in secret_dup.message and "medium" not in secret_dup.message
    assert all(f.severity is Severity.ERROR for f in findings if f.rule == "RL002")
