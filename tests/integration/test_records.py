"""CheckOptions and Profile are keyword-built, frozen records with no shared mutable defaults."""

from __future__ import annotations

import dataclasses

import pytest

from redislint.options import CheckOptions
from redislint.profiles import Profile, load_profile


@pytest.mark.parametrize("record", [CheckOptions, Profile])
def test_keyword_only_frozen_and_slotted(record: type) -> None:
    assert dataclasses.is_dataclass(record)
    params = record.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert all(f.kw_only for f in dataclasses.fields(record))
    assert "__slots__" in vars(record)


def test_check_options_positional_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        CheckOptions("critical")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CheckOptions().jobs = 2  # type: ignore[misc]


def test_no_two_check_options_share_a_mutable_default() -> None:
    one, two = CheckOptions(), CheckOptions()
    assert one == two and one.severity_overrides is not two.severity_overrides
    assert dataclasses.replace(one, jobs=0).jobs == 0 and one.jobs == 1


def test_profiles_stay_hashable_and_equal_by_content() -> None:
    a, b = load_profile("critical"), load_profile("cache")
    assert hash(a) == hash(load_profile("critical")) and a != b
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "other"  # type: ignore[misc]
