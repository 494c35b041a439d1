"""The data-loss window model (redislint.durability) shared by RL204, RL205, RL207 and `effective`."""

from __future__ import annotations

import math

import pytest

from redislint.durability import (
    KERNEL_WRITEBACK_SECONDS,
    aof_window,
    data_loss_window,
    failover_window,
    fires_on_one_change,
    format_seconds,
    rdb_window,
)
from redislint.redisconf.values import parse_save


def test_aof_always_is_zero() -> None:
    w = data_loss_window(appendonly=True, appendfsync="always")
    assert (w.seconds, w.mechanism, w.worst_case_seconds) == (0, "aof", 0)
    assert not w.unbounded
    assert w.text == "0 s"


def test_aof_everysec_is_one_second_with_two_second_worst_case() -> None:
    w = data_loss_window(appendonly=True, appendfsync="everysec")
    assert w.seconds == 1
    assert w.worst_case_seconds == 2
    assert "2 s" in w.reason


def test_aof_no_is_kernel_writeback() -> None:
    w = data_loss_window(appendonly=True, appendfsync="no")
    assert w.seconds == KERNEL_WRITEBACK_SECONDS == 30
    assert w.text == "about 30 s"


def test_appendfsync_is_case_insensitive_and_rejects_unknown_values() -> None:
    assert aof_window("EverySec").seconds == 1
    with pytest.raises(ValueError):
        aof_window("sometimes")


@pytest.mark.parametrize("policy,steady", [("always", 0), ("everysec", 1), ("no", 30)])
def test_no_appendfsync_on_rewrite_is_a_caveat_not_the_steady_window(policy: str, steady: float) -> None:
    w = data_loss_window(appendonly=True, appendfsync=policy, no_appendfsync_on_rewrite=True)
    assert w.seconds == steady
    assert w.rewrite_seconds == 30
    assert data_loss_window(appendonly=True, appendfsync=policy).rewrite_seconds is None
    if policy != "no":
        assert "rewrite" in w.reason


def test_aof_wins_over_rdb() -> None:
    w = data_loss_window(appendonly=True, appendfsync="everysec", save_points=[(900, 1)])
    assert (w.seconds, w.mechanism) == (1, "aof")


def test_rdb_only_shortest_interval_that_fires_on_one_change() -> None:
    w = data_loss_window(appendonly=False, save_points=[(3600, 1), (300, 100), (60, 10000)])
    assert (w.seconds, w.mechanism, w.save_point) == (3600, "rdb", (3600, 1))
    w = rdb_window([(900, 1), (300, 1), (60, 10000)])
    assert w.seconds == 300
    assert "300" in w.reason


def test_rdb_changes_zero_or_negative_fire_on_any_change() -> None:
    assert rdb_window([(120, 0), (900, 1)]).seconds == 120
    # `save 3600 2147483648` is read back as 3600 -2147483648 and behaves like changes 0.
    assert rdb_window([(3600, -2147483648)]).seconds == 3600
    assert fires_on_one_change((60, 0)) and fires_on_one_change((60, 1)) and not fires_on_one_change((60, 2))


def test_rdb_only_without_single_change_point_is_unbounded() -> None:
    w = data_loss_window(appendonly=False, save_points=[(300, 10), (60, 10000)])
    assert w.unbounded and math.isinf(w.seconds)
    assert w.mechanism == "rdb"
    assert "10 changes" in w.reason
    assert w.text == "unbounded"


def test_nothing_is_unbounded() -> None:
    w = data_loss_window(appendonly=False, save_points=[])
    assert w.unbounded and w.mechanism == "none"
    assert w.exceeds(3600)


def test_exceeds_compares_with_the_profile_maximum() -> None:
    everysec = aof_window("everysec")
    assert not everysec.exceeds(1)
    assert everysec.exceeds(0)


def test_parse_save() -> None:
    assert parse_save("3600 1 300 100 60 10000") == [(3600, 1), (300, 100), (60, 10000)]
    assert parse_save("") == [] and parse_save(None) == []
    assert parse_save("3600 -2147483648") == [(3600, -2147483648)]


def test_failover_window() -> None:
    assert failover_window(0).unbounded
    assert failover_window(1, 0).unbounded  # min-replicas-max-lag 0 turns the feature off
    w = failover_window(1, 10)
    assert w.seconds == 10 and w.mechanism == "replication"


def test_format_seconds() -> None:
    assert format_seconds(3600.0) == "3600 s"
    assert format_seconds(0.5) == "0.5 s"
    assert format_seconds(math.inf) == "unbounded"
