"""Settings are one typed object with their precedence: command line > config file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from redislint.config import DEFAULTS, CheckSettings, resolve_settings
from redislint.errors import UserError


def _config(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    path = tmp_path / ".redislint.yaml"
    path.write_text("profile: cache\nselect: [RL2]\nfail-on: warning\nprofiles:\n  'prod/*': critical\n")
    return path


def test_command_line_over_config_file_over_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path)
    got = resolve_settings({"select": ("RL3,RL4",), "redis_version": "7.2"}, [str(tmp_path)])
    assert isinstance(got, CheckSettings) and got.config_path == str(config)
    assert got.select.value == ["RL3", "RL4"] and got.select.origin == "command line"
    assert got.redis_version.value == "7.2" and got.redis_version.origin == "command line"
    assert (got.profile.value, got.profile.origin, got.profile.line) == ("cache", f"{config}:1", 1)
    assert (got.fail_on.value, got.fail_on.origin) == ("warning", f"{config}:3")
    assert got.profiles.value == {"prod/*": "critical"}
    assert (got.ignore.value, got.ignore.origin) == ([], "default")
    assert (got.chart.value, got.chart.origin) == (None, "default")
    assert [key for key, _ in got.items()] == sorted(DEFAULTS)


def test_without_a_config_file_every_setting_is_its_default(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    got = resolve_settings({}, [str(tmp_path)])
    assert got.config_path is None
    assert {key: (s.value, s.origin) for key, s in got.items()} == {k: (v, "default") for k, v in DEFAULTS.items()}


def test_a_misspelt_rule_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    with pytest.raises(UserError, match="--select"):
        resolve_settings({"select": ("RL2,aof-disabeld",)}, [str(tmp_path)])
