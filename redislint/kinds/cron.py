"""The longest gap between two runs of a cron schedule: what a snapshot cron means as a data-loss window."""

from __future__ import annotations

from itertools import pairwise

_WEEK_MINUTES = 7 * 24 * 60
_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def _field(text: str, low: int, high: int) -> set[int] | None:
    """The values a cron field selects (`*`, `a`, `a-b`, `*/n`, `a-b/n`, lists of them), or None if unreadable."""
    out: set[int] = set()
    for part in text.lower().split(","):
        step = 1
        if "/" in part:
            part, _, raw_step = part.partition("/")
            if not raw_step.isdigit() or int(raw_step) == 0:
                return None
            step = int(raw_step)
        if part == "*":
            start, end = low, high
        else:
            bounds = [_NAMES.get(b, b) for b in part.split("-", 1)]
            if not all(isinstance(b, int) or str(b).isdigit() for b in bounds):
                return None
            start = int(bounds[0])
            end = int(bounds[-1]) if len(bounds) == 2 else (high if step > 1 else start)
        if start < low or end > high + (1 if high == 6 else 0) or start > end:
            return None
        out.update(v % 7 if high == 6 else v for v in range(start, end + 1, step))
    return out


def longest_gap_seconds(expression: str) -> int | None:
    """Seconds between the two runs furthest apart of a five-field cron expression; None when it cannot be
    read here (a day-of-month or month restriction, six fields, macros such as @hourly are left out)."""
    fields = expression.split()
    if len(fields) != 5 or fields[2] != "*" or fields[3] != "*":
        return None
    minutes, hours, days = _field(fields[0], 0, 59), _field(fields[1], 0, 23), _field(fields[4], 0, 6)
    if not minutes or not hours or not days:
        return None
    runs = sorted(d * 1440 + h * 60 + m for d in days for h in hours for m in minutes)
    gaps = [b - a for a, b in pairwise(runs)] + [runs[0] + _WEEK_MINUTES - runs[-1]]
    return max(gaps) * 60
