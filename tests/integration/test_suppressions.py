"""Suppressions: same line, line above, file level, annotation, config; absent settings; RL901–903; baseline."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from click.testing import CliRunner

from redislint.cli import main

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
{annotations}spec:
  chart:
    spec:
      chart: redis
      version: 19.6.4
  values:
    architecture: standalone
    master:
{above}      configuration: |{trailing}
        appendonly no
        maxmemory 100mb
        maxmemory-policy allkeys-lru
      resources:
        limits:
          memory: 1Gi
        requests:
          memory: 512Mi
"""


def run(tmp_path: Path, text: str, *args: str, name: str = "hr.yaml") -> tuple[int, dict]:
    """Check `text` as JSON. HR is a cache release: judged under `cache` unless a test names a profile."""
    if "--profile" not in args:
        args = ("--profile", "cache", *args)
    path = tmp_path / name
    path.write_text(text)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", name, "--format", "json", *args])
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def rules_of(data: dict) -> list[str]:
    return sorted(f["rule"] for f in data["findings"])


def hr(annotations: str = "", above: str = "", trailing: str = "") -> str:
    return HR.format(annotations=annotations, above=above, trailing=trailing)


def test_absent_setting_finding_points_at_the_block(tmp_path: Path) -> None:
    _, data = run(tmp_path, hr(), "--select", "RL203")
    [f] = data["findings"]
    assert (f["line"], f["column"]) == (15, 9)  # `appendonly no` itself
    _, data = run(tmp_path, hr().replace("        maxmemory 100mb\n", ""), "--select", "RL301")
    [f] = data["findings"]
    assert (f["line"], f["column"]) == (14, 7)  # maxmemory is absent: the block where it belongs


def test_line_above_suppresses_and_is_used(tmp_path: Path) -> None:
    text = hr(above="      # redislint: disable=RL203 -- rebuilt from the database on start\n")
    _, data = run(tmp_path, text.replace("        appendonly no\n", "        appendonly no\n"), "--select", "RL203,RL9")
    # The comment sits above `configuration:`; RL203 points at `appendonly no` one line further
    # down, so it is not covered and the suppression is reported as unused.
    assert rules_of(data) == ["RL203", "RL901"]


def test_comment_inside_the_redis_conf_block_covers_the_next_directive(tmp_path: Path) -> None:
    text = hr().replace("        appendonly no\n",
                        "        # redislint: disable=RL203 -- rebuilt from the database on start\n"
                        "        appendonly no\n")
    code, data = run(tmp_path, text, "--select", "RL203,RL9")
    assert rules_of(data) == [] and code == 0
    assert data["summary"]["suppressed"] == 1


def test_trailing_comment_on_a_yaml_key_suppresses_an_absent_setting(tmp_path: Path) -> None:
    without = hr().replace("        maxmemory 100mb\n", "")
    _, before = run(tmp_path, without, "--select", "RL301")
    assert [f["line"] for f in before["findings"]] == [14]
    text = hr(trailing="  # redislint: disable=RL301 -- sized by the operator").replace("        maxmemory 100mb\n", "")
    code, after = run(tmp_path, text, "--select", "RL301,RL9")
    assert after["findings"] == [] and code == 0


def test_comment_alone_above_a_key_suppresses_an_absent_setting(tmp_path: Path) -> None:
    text = hr(above="      # redislint: disable=RL301 -- sized by the operator\n").replace("        maxmemory 100mb\n", "")
    _, data = run(tmp_path, text, "--select", "RL301,RL9")
    assert data["findings"] == []


def test_file_level_suppression(tmp_path: Path) -> None:
    text = "# redislint: disable-file=RL203 -- sessions only\n" + hr()
    _, data = run(tmp_path, text, "--select", "RL203,RL205,RL9")
    assert rules_of(data) == []  # RL205 defers to RL203 (one root cause), so nothing is left to suppress
    text = "# redislint: disable-file=RL203,RL205 -- sessions only\n" + hr()
    _, data = run(tmp_path, text, "--select", "RL203,RL205,RL9")
    assert rules_of(data) == ["RL901"]  # and a suppression of the deferring rule is reported as unused


def test_annotation_suppresses_the_object(tmp_path: Path) -> None:
    text = hr(annotations="  annotations:\n    redislint.io/ignore: \"RL203 -- disposable\"\n")
    _, data = run(tmp_path, text, "--select", "RL203,RL9")
    assert rules_of(data) == []


def test_config_file_entry(tmp_path: Path) -> None:
    (tmp_path / ".redislint.yaml").write_text(textwrap.dedent("""\
        suppress:
          - path: "*.yaml"
            target: "cache/*"
            rules: [RL203]
            reason: throwaway cache
        """))
    _, data = run(tmp_path, hr(), "--select", "RL203,RL9")
    assert rules_of(data) == []


def test_unknown_code_and_missing_reason(tmp_path: Path) -> None:
    text = hr().replace("        appendonly no\n", "        # redislint: disable=RL2O3,RL203\n        appendonly no\n")
    _, data = run(tmp_path, text, "--select", "RL203,RL9", "--profile", "critical")
    assert rules_of(data) == ["RL902", "RL903"]
    [unknown] = [f for f in data["findings"] if f["rule"] == "RL903"]
    assert unknown["line"] == 15 and "RL2O3" in unknown["message"]


def test_baseline_survives_lines_inserted_above(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    code, data = run(tmp_path, hr(), "--baseline", str(base), "--update-baseline")
    assert data["findings"]
    shifted = "# a new comment\n# and another\n" + hr()
    code, data = run(tmp_path, shifted, "--baseline", str(base))
    assert data["findings"] == [] and code == 0
    # A genuinely new problem is still reported.
    worse = shifted.replace("maxmemory-policy allkeys-lru", "maxmemory-policy allkeys-lru\n        appendfsync sometimes")
    _, data = run(tmp_path, worse, "--baseline", str(base))
    assert "RL011" in rules_of(data)
