"""A run never goes green without saying what it did not see.

- the summary always states how many files were read and how many Redis targets were found;
- `--require-targets` exits 3 when nothing Redis-related was found;
- what could not be evaluated (valuesFrom not among the inputs, `existingConfigmap`, a custom
  `command`/`args`, templated values, `include` lines, diagnosticMode) is an RL003 finding that
  says which checks it weakens.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FORMATS, invoke

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
{extra}  values:
    architecture: standalone
{values}"""

VALUES_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: redis-values
data:
  values.yaml: |
    master:
      persistence:
        enabled: false
"""

NOT_REDIS = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"


def _summary(output: str) -> str:
    return output.rstrip("\n").rsplit("\n", 1)[-1]


@pytest.mark.parametrize("files,read,targets", [
    ({}, 0, 0),
    ({"deploy.yaml": NOT_REDIS}, 1, 0),
    ({"deploy.yaml": NOT_REDIS, "notes.txt": "x", "chart/templates/x.tpl": "{{ x }}"}, 1, 0),
    ({"r.conf": "appendonly yes\n", "deploy.yaml": NOT_REDIS}, 2, 1),
    ({"bad.yaml": "a: [\n"}, 1, 0),
    ({"latin.conf": b"save \xe9\n"}, 0, 0),
], ids=["empty-dir", "not-redis", "only-other-files", "conf-and-other", "broken-yaml", "unreadable"])
def test_summary_always_states_files_read_and_targets(tmp_path: Path, files, read: int, targets: int) -> None:
    for rel, content in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    run = invoke("check", ".", cwd=tmp_path)
    want_targets = f"{targets} Redis target{'s' if targets != 1 else ''} " + ("checked" if targets else "found")
    summary = _summary(run.stdout)
    assert summary.startswith(f"{read} file{'s' if read != 1 else ''} read, {want_targets}"), summary
    github = invoke("check", ".", "-f", "github", cwd=tmp_path)
    assert _summary(github.stdout).startswith(f"redislint: {read} file"), github.stdout
    data = json.loads(invoke("check", ".", "-f", "json", cwd=tmp_path).stdout)
    assert (data["summary"]["files_read"], data["summary"]["targets_checked"]) == (read, targets)
    effective = invoke("effective", ".", cwd=tmp_path)
    if targets == 0:
        assert f"No Redis target found in {read} file(s)." in effective.output
    eff_json = json.loads(invoke("effective", ".", "-f", "json", cwd=tmp_path).stdout)
    assert eff_json["files_read"] == read and len(eff_json["targets"]) >= targets


@pytest.mark.parametrize("fmt", FORMATS)
def test_require_targets_exits_3_without_redis_config(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "deploy.yaml").write_text(NOT_REDIS)
    (tmp_path / "empty.yaml").write_text("")
    assert invoke("check", ".", "--format", fmt, cwd=tmp_path).exit_code == 0
    run = invoke("check", ".", "--format", fmt, "--require-targets", cwd=tmp_path)
    assert run.exit_code == 3
    if fmt == "text":
        assert "0 Redis targets found" in run.output


def test_require_targets_is_satisfied_by_a_target(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text("appendonly yes\n")
    assert invoke("check", ".", "--require-targets", "--fail-on", "never", cwd=tmp_path).exit_code == 0


def test_require_targets_on_an_empty_directory(tmp_path: Path) -> None:
    run = invoke("check", ".", "--require-targets", cwd=tmp_path)
    assert run.exit_code == 3
    assert "no YAML (.yaml, .yml) or .conf file to check in this directory" in run.output


def _rl003(tmp_path: Path, files: dict[str, str], *paths: str) -> list[dict]:
    for rel, content in files.items():
        (tmp_path / rel).write_text(content)
    run = invoke("check", *(paths or tuple(files)), "-f", "json", "--fail-on", "never", cwd=tmp_path)
    assert run.exit_code == 0
    return [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "RL003"]


def test_values_from_not_among_inputs(tmp_path: Path) -> None:
    hr = HR.format(extra="  valuesFrom:\n    - kind: ConfigMap\n      name: redis-values\n", values="")
    found = _rl003(tmp_path, {"hr.yaml": hr})
    assert [(f["line"], f["column"]) for f in found] == [(12, 7)]
    assert "valuesFrom ConfigMap redis-values (key values.yaml) is not among the inputs; values it sets were not " \
           "checked" in found[0]["message"]


def test_values_from_among_inputs_is_resolved(tmp_path: Path) -> None:
    hr = HR.format(extra="  valuesFrom:\n    - kind: ConfigMap\n      name: redis-values\n", values="")
    (tmp_path / "cm.yaml").write_text(VALUES_CM)
    (tmp_path / "hr.yaml").write_text(hr)
    data = json.loads(invoke("check", "hr.yaml", "cm.yaml", "-f", "json", cwd=tmp_path).stdout)
    assert not [f for f in data["findings"] if f["rule"] == "RL003"]
    assert any(f["rule"] == "RL401" for f in data["findings"])  # persistence.enabled false, from the ConfigMap


def test_optional_values_from_not_among_inputs(tmp_path: Path) -> None:
    hr = HR.format(extra="  valuesFrom:\n    - kind: ConfigMap\n      name: maybe\n      optional: true\n", values="")
    found = _rl003(tmp_path, {"hr.yaml": hr})
    assert [(f["line"], f["column"]) for f in found] == [(12, 7)]
    assert "maybe" in found[0]["message"]


def test_existing_configmap(tmp_path: Path) -> None:
    found = _rl003(tmp_path, {"hr.yaml": HR.format(extra="", values="    existingConfigmap: my-redis-conf\n")})
    assert [(f["line"], f["column"]) for f in found] == [(13, 5)]
    assert "every config check for this release is unverified" in found[0]["message"]


def test_custom_command_and_args(tmp_path: Path) -> None:
    values = "    master:\n      command: [\"/bin/sh\"]\n      args: [\"-c\", \"redis-server /etc/redis.conf\"]\n"
    found = _rl003(tmp_path, {"hr.yaml": HR.format(extra="", values=values)})
    assert [(f["line"], f["column"]) for f in found] == [(14, 7), (15, 7)]
    assert "master.command replaces the chart's start script" in found[0]["message"]
    assert "master.args replaces the chart's start script arguments" in found[1]["message"]


def test_templated_values(tmp_path: Path) -> None:
    values = ("    master:\n      resources:\n        limits:\n          memory: ${MEM}\n"
              "      configuration: |\n        maxmemory {{ .Values.maxmemory }}\n        appendfsync ${FSYNC}\n")
    found = _rl003(tmp_path, {"hr.yaml": HR.format(extra="", values=values)})
    assert [(f["line"], f["column"]) for f in found] == [(16, 19), (18, 9), (19, 9)]
    assert "size and memory checks for this role were skipped" in found[0]["message"]
    assert "checks of maxmemory are skipped" in found[1]["message"]
    assert "checks of appendfsync are skipped" in found[2]["message"]


def test_include_lines(tmp_path: Path) -> None:
    found = _rl003(tmp_path, {"redis.conf": "appendonly yes\ninclude /etc/redis/extra.conf\n"})
    assert [(f["line"], f["column"]) for f in found] == [(2, 1)]
    assert "the checks of every directive not set again after it are unverified" in found[0]["message"]


def test_diagnostic_mode(tmp_path: Path) -> None:
    values = "    diagnosticMode:\n      enabled: true\n"
    found = _rl003(tmp_path, {"hr.yaml": HR.format(extra="", values=values)})
    assert [(f["line"], f["column"]) for f in found] == [(14, 7)]
    assert "instead of Redis" in found[0]["message"]


def test_rl003_is_listed_in_every_format(tmp_path: Path) -> None:
    """A weakened check shows up where CI looks: as a warning annotation, a SARIF result, a GitLab issue."""
    (tmp_path / "hr.yaml").write_text(HR.format(extra="", values="    existingConfigmap: my-redis-conf\n"))
    for fmt in FORMATS:
        out = invoke("check", "hr.yaml", "-f", fmt, cwd=tmp_path).stdout
        assert "RL003" in out, fmt


def test_exclude_that_drops_a_file_named_on_the_command_line_says_so(tmp_path: Path) -> None:
    """pre-commit and CI diffs pass exactly the changed files: excluding one of them is reported."""
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "redis.conf").write_text("appendonly no\n")
    (tmp_path / "vendor" / "other.conf").write_text("appendonly no\n")
    (tmp_path / "app.conf").write_text("appendonly yes\n")
    (tmp_path / ".redislint.yaml").write_text("exclude: ['vendor/*']\n")
    runs = {fmt: invoke("check", "app.conf", "vendor/redis.conf", "-f", fmt, cwd=tmp_path) for fmt in FORMATS}
    expected = "not checked: named on the command line, but the exclude pattern 'vendor/*' matches it"
    assert all(r.exit_code in (0, 1) for r in runs.values())  # a warning, not an I/O error
    text = runs["text"].stdout
    assert f"vendor/redis.conf: warning: {expected}" in text and text.index(expected) < text.index("1 file read")
    notes = json.loads(runs["json"].stdout)["notifications"]
    assert [(n["path"], n["message"]) for n in notes if n["level"] == "warning"] == [("vendor/redis.conf", expected)]
    sarif = json.loads(runs["sarif"].stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"].rstrip(".") for n in sarif if n["level"] == "warning"] == [expected]
    # A directory walk skips excluded files silently: nobody named them.
    walked = invoke("check", ".", "-f", "json", cwd=tmp_path)
    assert [n for n in json.loads(walked.stdout)["notifications"] if n["level"] != "note"] == []
