"""Assumptions: which findings rest on which, what an uncertain one does, and the notes of a real run."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from redislint.assumptions import (
    MEMORY_DEFAULTS,
    REDIS_VERSION_TOPIC,
    TargetDependencies,
    rule_depends,
)
from redislint.cli import main
from redislint.engine import CheckOptions, check_targets
from redislint.inputs import load_inputs
from redislint.model import Severity
from redislint.target import CHART_VERSION, Assumption
from redislint.targets import find_targets


def _targets(tmp_path: Path, text: str, name: str = "release.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return find_targets(inputs.yaml_files, inputs.conf_files)


def _check_json(tmp_path: Path, *args: str) -> dict:
    run = CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    assert run.exit_code in (0, 1), run.output
    return json.loads(run.output)


UNSIZED = """\
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata: {name: redis, namespace: cache}
    spec:
      chart:
        spec: {chart: redis, version: 20.0.3, sourceRef: {kind: HelmRepository, name: bitnami}}
      valuesFrom:
        - kind: ConfigMap
          name: redis-extra
      values:
        architecture: standalone
        master:
          resources:
            requests: {memory: 1Gi}
    """


def test_topics_name_the_rules_that_rest_on_them():
    assert rule_depends(frozenset({REDIS_VERSION_TOPIC}), "RL010")
    assert not rule_depends(frozenset({REDIS_VERSION_TOPIC}), "RL302")
    assert rule_depends(frozenset({MEMORY_DEFAULTS}), "RL303")
    # No topic: every conclusion about the target, not the findings about inputs or suppressions.
    assert rule_depends(frozenset(), "RL402") and rule_depends(frozenset(), "RL101")
    assert not any(rule_depends(frozenset(), code) for code in ("RL001", "RL002", "RL003", "RL901"))


def test_a_values_layer_not_seen_is_an_assumption_of_every_finding_about_the_values(tmp_path):
    (tmp_path / "release.yaml").write_text(textwrap.dedent(UNSIZED))
    doc = _check_json(tmp_path, str(tmp_path / "release.yaml"))
    [layer] = [n for n in doc["notifications"] if n["kind"] == "assumption"]
    assert layer["assumption"] == "values-layer" and layer["target"] == "cache/redis"
    assert layer["message"].startswith("valuesFrom ConfigMap redis-extra (key values.yaml) is not among the inputs")
    assert layer["line"] == 8  # the valuesFrom item
    by_rule = {f["rule"]: f["assumptions"] for f in doc["findings"]}
    assert by_rule["RL302"] == [layer["id"]]  # no memory limit: unless the ConfigMap sets one
    assert by_rule["RL003"] == []  # the finding that says the ConfigMap is missing rests on nothing


def test_an_uncertain_assumption_caps_its_findings_at_warning_and_is_named(tmp_path):
    [target] = _targets(tmp_path, UNSIZED.replace("          resources:\n            requests: {memory: 1Gi}\n", "")
                        .replace("      valuesFrom:\n        - kind: ConfigMap\n          name: redis-extra\n", ""))
    options = CheckOptions(profile="critical", select=("RL307",), severity_overrides={"RL307": "error"})
    [plain] = check_targets([target], options)  # 20.0.3 defaults to the nano preset
    assert plain.severity is Severity.ERROR and not plain.assumptions
    doubt = Assumption(CHART_VERSION, "the default resourcesPreset differs between the possible chart versions",
                       affects=frozenset({MEMORY_DEFAULTS}), uncertain=True)
    [finding] = check_targets([replace(target, assumptions=(doubt,))], options)
    assert finding.severity is Severity.WARNING
    assert finding.message == plain.message + (" (this rests on an assumption: the default resourcesPreset differs "
                                               "between the possible chart versions)")
    assert len(finding.assumptions) == 1


def test_the_default_memory_limit_matters_only_to_a_role_that_uses_it(tmp_path):
    [target] = _targets(tmp_path, UNSIZED)
    doubt = Assumption(CHART_VERSION, "preset differs", affects=frozenset({MEMORY_DEFAULTS}), uncertain=True)
    assert not TargetDependencies(replace(target, assumptions=(doubt,))).of("RL302").uncertain  # resources set
    [bare] = _targets(tmp_path, UNSIZED.replace("          resources:\n            requests: {memory: 1Gi}\n", ""),
                      "bare.yaml")
    assert TargetDependencies(replace(bare, assumptions=(doubt,))).of("RL303").uncertain == (doubt,)


BARE_VALUES = """\
    architecture: standalone
    master:
      configuration: |
        maxmemory 150mb
    """
CHART_SAID = ("bitnami/redis version unknown (a values file does not say which release it is for): the evidence "
              "leaves 14.0.0–23.1.1; assumed 23.1.1, the newest of them, whose image runs Redis 8.2.1")
PRESET_SAID = "without resources in the values, the memory limit depends on that unknown version"


def test_a_real_run_says_what_it_assumed_in_every_format(tmp_path, monkeypatch):
    (tmp_path / "values.yaml").write_text(textwrap.dedent(BARE_VALUES))
    monkeypatch.chdir(tmp_path)

    def out(fmt: str) -> str:
        run = CliRunner().invoke(main, ["check", "--profile", "critical", "--format", fmt, "values.yaml"],
                                 catch_exceptions=False)
        assert run.exit_code in (0, 1), run.output
        return run.output

    text = out("text")
    assert text.count(CHART_SAID) == 1 and text.count(PRESET_SAID) >= 1
    doc = json.loads(out("json"))
    notes = [n for n in doc["notifications"] if n["kind"] == "assumption"]
    assert [n["assumption"] for n in notes] == ["chart-version", "chart-version"]
    assert any(n["message"].startswith(CHART_SAID) for n in notes)
    preset_id = next(n["id"] for n in doc["notifications"] if PRESET_SAID in n["message"])
    headroom = [f for f in doc["findings"] if f["rule"] in ("RL303", "RL307")]
    assert headroom and all(preset_id in f["assumptions"] and f["severity"] != "error" for f in headroom)
    sarif = json.loads(out("sarif"))
    said = [n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    assert any(CHART_SAID in s for s in said) and any(PRESET_SAID in s for s in said)
    assert all(PRESET_SAID in r["message"]["text"] for r in sarif["runs"][0]["results"]
               if r["ruleId"] in ("RL303", "RL307"))
    github = out("github")
    assert f"redislint: values.yaml: assumed for values.yaml (master): {CHART_SAID}" in github
    gitlab = json.loads(out("gitlab"))
    redis_rules = [i for i in gitlab if i["check_name"] in ("RL010", "RL201")]
    assert all(f"Assumed: {CHART_SAID}" in i["description"] for i in redis_rules)
