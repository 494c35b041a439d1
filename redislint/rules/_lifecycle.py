"""What RL413 and RL414 share: the data set a role loads or saves, and how long that takes at the profile's rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._sizing import data_source, maxmemory, maxmemory_text

if TYPE_CHECKING:
    from redislint.model import Span
    from redislint.profiles import Profile
    from redislint.target import Target

MB = 1_000_000


class DataBound(NamedTuple):
    """The largest data set a role holds, what says so, and whether it is a bound someone chose."""

    size: int
    what: str  # "maxmemory 4gb" / "the master's maxmemory 4gb" / "the memory limit 8Gi"
    span: Span | None
    chosen: bool  # maxmemory (a data set someone sized); False: only the memory limit caps it


def data_bound(target: Target) -> DataBound | None:
    """maxmemory (the master's, for a replica that copies it), else the memory limit, else None."""
    source = data_source(target) or target
    m = maxmemory(source)
    if m:
        whose = "" if source is target else f"the {source.role}'s "
        written = source.written("maxmemory")
        return DataBound(m, f"{whose}maxmemory {maxmemory_text(source)}",
                         written.line.span if written is not None and written.line is not None else None, True)
    limit = target.facts.memory_limit.value
    if limit:
        return DataBound(limit, f"the memory limit {format_bytes(limit)}", target.facts.memory_limit.span, False)
    return None


def seconds(size: int, rate_mb: float) -> int:
    """Whole seconds to move `size` bytes at `rate_mb` MB/s, rounded up."""
    return -(-size // int(rate_mb * MB))


def rate_text(rate_mb: float) -> str:
    return f"{rate_mb:g} MB/s"


def one_level_lower(profile: Profile, code: str) -> Severity:
    """The profile's severity for `code`, one level lower (error → warning → note): a case whose damage
    something else limits (the AOF holds every write) or that rests only on an upper bound."""
    configured = profile.severity_for(code)
    if configured is None or configured is Severity.NOTE:
        return Severity.NOTE
    return Severity.WARNING if configured is Severity.ERROR else Severity.NOTE
