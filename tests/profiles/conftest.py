"""Helpers for profile tests: write a profile file and load it, expecting success or a ProfileError."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.profiles import ProfileError, load_profile


@pytest.fixture
def write(tmp_path: Path):
    """write("dir/name.yaml", text) -> path (text is dedented)."""

    def _write(rel: str, text: str) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load_error():
    """load_error(path) -> the ProfileError that loading raises."""

    def _load_error(path) -> ProfileError:
        with pytest.raises(ProfileError) as info:
            load_profile(str(path))
        return info.value

    return _load_error
