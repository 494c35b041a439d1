"""Redis and Valkey versions, and how they map onto the directive table's version columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Flavor = Literal["redis", "valkey"]

# The version columns of data/redis-directives.tsv, oldest first, per flavor.
COLUMNS: dict[str, tuple[tuple[int, int], ...]] = {
    "redis": ((6, 2), (7, 0), (7, 2), (7, 4), (8, 0), (8, 2), (8, 6)),
    "valkey": ((7, 2), (8, 0), (8, 1), (9, 1)),
}

# "7.2.4", "7.2", "v7.0", "8.2.1-debian-12-r0", "7.0.15-alpine": the numbers come first.
_VERSION_RE = re.compile(r"^\s*[vV]?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+._ ].*)?\s*$")


@dataclass(frozen=True, slots=True, order=True)
class RedisVersion:
    """One server version. Comparisons only make sense within one flavor."""

    flavor: Flavor
    major: int
    minor: int
    patch: int = 0

    @classmethod
    def newest(cls, flavor: Flavor = "redis") -> RedisVersion:
        """The newest version the directive table describes for `flavor`."""
        major, minor = COLUMNS[flavor][-1]
        return cls(flavor, major, minor)

    @property
    def label(self) -> str:
        """Human label used in provenance: "Redis 7.2", "Valkey 8.0"."""
        return f"{self.flavor.capitalize()} {self.major}.{self.minor}"

    @property
    def key(self) -> tuple[int, int, int]:
        """Numeric key for comparisons within a flavor."""
        return (self.major, self.minor, self.patch)

    def at_least(self, major: int, minor: int = 0) -> bool:
        """True when this version is `major.minor` or newer (same flavor assumed)."""
        return (self.major, self.minor) >= (major, minor)

    @property
    def column(self) -> str:
        """The TSV column describing this version: the newest column not newer than it."""
        cols = COLUMNS[self.flavor]
        chosen = cols[0]
        for col in cols:
            if col <= (self.major, self.minor):
                chosen = col
        return f"{self.flavor}-{chosen[0]}.{chosen[1]}"

    @property
    def column_is_exact(self) -> bool:
        """False when the column only approximates this version (e.g. Redis 6.0 -> 6.2)."""
        return (self.major, self.minor) in COLUMNS[self.flavor]

    @property
    def legacy_parser(self) -> bool:
        """Redis before 7.0 used the old hand-written config loader (per-call `save`, no splitting)."""
        return self.flavor == "redis" and not self.at_least(7, 0)

    @property
    def queues_unknown_names(self) -> bool:
        """Redis 8.0+ queues every unknown name as a module config instead of rejecting the line."""
        return self.flavor == "redis" and self.at_least(8, 0)

    @property
    def module_dotted_names(self) -> bool:
        """7.0+ and Valkey queue names containing a dot as module configs."""
        return not self.legacy_parser

    def __str__(self) -> str:
        return f"{self.label}.{self.patch}" if self.patch else self.label


def parse_version(text: str | None, flavor: Flavor = "redis") -> RedisVersion | None:
    """Parse an image tag or version string; None when it does not start with `major.minor`.

    A bare major ("7") is refused: it is ambiguous across minor versions whose parsers differ.
    """
    if not text:
        return None
    m = _VERSION_RE.match(str(text))
    if not m:
        return None
    return RedisVersion(flavor, int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def column_label(column: str) -> str:
    """"redis-7.2" -> "Redis 7.2" (for "exists in another version" messages)."""
    flavor, _, num = column.partition("-")
    return f"{flavor.capitalize()} {num}"


def column_version(column: str) -> RedisVersion:
    """"valkey-8.1" -> RedisVersion("valkey", 8, 1)."""
    flavor, _, num = column.partition("-")
    major, minor = num.split(".")
    return RedisVersion(flavor, int(major), int(minor))  # type: ignore[arg-type]
