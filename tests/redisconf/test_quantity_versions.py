"""Kubernetes quantities, version parsing and the version-column mapping."""

from __future__ import annotations

import pytest

from redislint.quantity import format_bytes, parse_quantity
from redislint.redisconf import RedisVersion, parse_version


@pytest.mark.parametrize(("value", "expected"), [
    ("1Gi", 2**30), ("512Mi", 512 * 2**20), ("0.5Gi", 2**29), ("1.5G", 1_500_000_000),
    ("1e9", 10**9), ("5E-1", 1), ("1E", 10**18), ("100m", 1), ("1k", 1000), ("2Ki", 2048),
    ("1Ti", 2**40), ("1Pi", 2**50), ("1Ei", 2**60), ("1.", 1), (".5Ki", 512), ("+1M", 10**6),
    ("0", 0), (1073741824, 2**30), (1.5, 2), (0.1, 1),
])
def test_parse_quantity(value: str | int | float, expected: int) -> None:
    assert parse_quantity(value) == expected


@pytest.mark.parametrize("value", ["", " 1Gi", "1GB", "1gi", "1 Gi", "abc", "1e", "-1Gi",
                                   True, None, float("inf")])
def test_parse_quantity_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_quantity(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("n", "expected"), [
    (0, "0B"), (900, "900B"), (1024, "1Ki"), (1536, "1.5Ki"), (2**30, "1Gi"),
    (1932735283, "1.8Gi"), (536870912, "512Mi"), (10**9, "953.7Mi"), (-2**20, "-1Mi"),
])
def test_format_bytes(n: int, expected: str) -> None:
    assert format_bytes(n) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("7.2.4", ("redis", 7, 2, 4)), ("7.2", ("redis", 7, 2, 0)), ("v7.0", ("redis", 7, 0, 0)),
    ("8.2.1-debian-12-r0", ("redis", 8, 2, 1)), ("7.0.15-alpine", ("redis", 7, 0, 15)),
])
def test_parse_version(text: str, expected: tuple) -> None:
    v = parse_version(text)
    assert v is not None and (v.flavor, v.major, v.minor, v.patch) == expected


@pytest.mark.parametrize("text", ["", "latest", "7", "abc", None])
def test_parse_version_rejects(text: str | None) -> None:
    assert parse_version(text) is None


@pytest.mark.parametrize(("version", "column", "exact"), [
    (RedisVersion("redis", 6, 0), "redis-6.2", False),
    (RedisVersion("redis", 6, 2, 16), "redis-6.2", True),
    (RedisVersion("redis", 7, 0, 15), "redis-7.0", True),
    (RedisVersion("redis", 7, 3), "redis-7.2", False),
    (RedisVersion("redis", 8, 4), "redis-8.2", False),
    (RedisVersion("redis", 9, 0), "redis-8.6", False),
    (RedisVersion("valkey", 7, 2), "valkey-7.2", True),
    (RedisVersion("valkey", 8, 0, 1), "valkey-8.0", True),
    (RedisVersion("valkey", 9, 0), "valkey-8.1", False),
    (RedisVersion("valkey", 6, 0), "valkey-7.2", False),
])
def test_columns(version: RedisVersion, column: str, exact: bool) -> None:
    assert version.column == column
    assert version.column_is_exact is exact


def test_labels_and_newest() -> None:
    assert RedisVersion("redis", 7, 2, 4).label == "Redis 7.2"
    assert parse_version("8.0", "valkey").label == "Valkey 8.0"  # type: ignore[union-attr]
    assert RedisVersion.newest("redis") == RedisVersion("redis", 8, 6)
    assert RedisVersion.newest("valkey") == RedisVersion("valkey", 9, 1)
    assert RedisVersion("redis", 6, 2).legacy_parser
    assert not RedisVersion("valkey", 7, 2).legacy_parser
