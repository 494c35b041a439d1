"""Assumptions in every format: shown once per deployment, linked from the findings that rest on them."""

from __future__ import annotations

import json

from output_fixtures import CONF, OTHER, RELEASE
from sarif_validation import multitool_problems, schema_errors

from redislint.output import FORMATTERS

CHART = "bitnami/redis chart version not pinned; assumed 23.1.1, the newest known."
PRESET = "default resourcesPreset: nano (192Mi limit) from 19.0.0, none before; nano assumed."
REDIS = "Redis version unknown; assumed the newest, Redis 8.6."
LAYER = "valuesFrom ConfigMap redis-extra is not among the inputs; assumed it sets nothing."


def test_text_shows_each_assumption_once_under_its_file(report, rules, options):
    text = FORMATTERS["text"](report, rules, options)
    assert text.count(CHART) == 1 and text.count(REDIS) == 1 and text.count(PRESET) == 1
    release_block = text.split(f"{RELEASE} (1 finding)\n", 1)[1].split("\n\n", 1)[0]
    assert release_block.splitlines() == [
        "  assumed for prod/redis (master, replica):",
        f"    - {CHART} Evidence: spec.chart.spec.version absent: Flux installs the newest.",
        "  assumed for prod/redis (master):",
        f"    - {PRESET}",
    ]
    conf_block = text.split(f"{CONF} (2 findings)\n", 1)[1].split("\n\n", 1)[0]
    assert conf_block == f"  assumed for redis.conf (server):\n    - {REDIS}"
    # A target without findings: its clean result rests on the assumption too.
    assert f"Assumed for targets without findings:\n  {OTHER} other/redis (master): {LAYER}\n" in text


def test_json_lists_assumptions_and_links_findings(report, rules, options):
    doc = json.loads(FORMATTERS["json"](report, rules, options))
    assumptions = [n for n in doc["notifications"] if n["kind"] == "assumption"]
    assert [(n["id"], n["assumption"], n["target"], n["roles"], n["level"]) for n in assumptions] == [
        ("A1", "chart-version", "prod/redis", ["master", "replica"], "note"),
        ("A2", "chart-version", "prod/redis", ["master"], "note"),
        ("A3", "redis-version", "redis.conf", ["server"], "note"),
        ("A4", "values-layer", "other/redis", ["master"], "note"),
    ]
    assert assumptions[0]["message"] == CHART and assumptions[0]["line"] == 0
    assert assumptions[0]["evidence"] == ["spec.chart.spec.version absent: Flux installs the newest"]
    assert (assumptions[3]["path"], assumptions[3]["line"], assumptions[3]["column"]) == (OTHER, 2, 3)
    by_rule = {(f["rule"], f["path"]): f["assumptions"] for f in doc["findings"]}
    assert by_rule[("RL401", RELEASE)] == ["A1", "A2"]
    assert by_rule[("RL204", CONF)] == ["A3"]
    assert by_rule[("RL203", "charts/redis/values.yaml")] == []


def test_sarif_notifications_are_valid_and_results_say_what_they_assume(report, rules, options, tmp_path):
    log = json.loads(FORMATTERS["sarif"](report, rules, options))
    assert schema_errors(log) == []
    path = tmp_path / "assumptions.sarif"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert multitool_problems(path, tmp_path) == []
    run = log["runs"][0]
    notes = [n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "note"]
    assert [n["properties"]["redislint/assumption"] for n in notes] == ["A1", "A2", "A3", "A4"]
    assert notes[0]["message"]["text"].startswith(f"prod/redis (master, replica): {CHART}")
    assert notes[3]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 3}
    headroom = next(r for r in run["results"] if r["ruleId"] == "RL401")
    assert headroom["properties"]["redislint/assumptions"] == ["A1", "A2"]
    # GitHub shows only message.text: the assumption is said there (the uncertain one is in the
    # finding's own message when the engine made it, so it is not repeated).
    assert headroom["message"]["text"].endswith(f"Assumed: {CHART}")
    assert PRESET not in headroom["message"]["text"]
    aof = next(r for r in run["results"] if r["ruleId"] == "RL203")
    assert "Assumed" not in aof["message"]["text"] and "redislint/assumptions" not in aof["properties"]


def test_github_annotations_carry_them_and_the_log_lists_them(report, rules, options):
    out = FORMATTERS["github"](report, rules, options).splitlines()
    fsync = next(line for line in out if "title=RL204" in line)
    assert fsync.endswith(f"%0AAssumed: {REDIS}")
    listed = [line for line in out if ": assumed for " in line]
    assert listed == [
        (f"redislint: {RELEASE}: assumed for prod/redis (master, replica): {CHART} Evidence: "
         "spec.chart.spec.version absent: Flux installs the newest."),
        f"redislint: {RELEASE}:10: assumed for prod/redis (master): {PRESET}",
        f"redislint: {CONF}: assumed for redis.conf (server): {REDIS}",
        f"redislint: {OTHER}:2: assumed for other/redis (master): {LAYER}",
    ]
    assert not any(line.startswith("::") and "assumed for" in line for line in out)  # no annotation slots used


def test_gitlab_descriptions_end_with_them(report, rules, options):
    issues = json.loads(FORMATTERS["gitlab"](report, rules, options))
    fsync = next(i for i in issues if i["check_name"] == "RL204")
    assert fsync["description"].endswith(f" Assumed: {REDIS}")
    aof = next(i for i in issues if i["check_name"] == "RL203")
    assert "Assumed" not in aof["description"]
