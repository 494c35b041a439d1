"""Which profile settings each rule reads, recorded while it runs (for the registry's `reads`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from redislint import profiles

RULES_DIR = str(Path(profiles.__file__).resolve().parent / "rules")
SETTING_KEYS = frozenset(s.key for s in profiles.SETTINGS)
# Judgements made outside a rule module, and the rule they belong to: RL902 (a suppression without
# a reason) is decided where suppressions are applied.
JUDGED_ELSEWHERE = {"suppression_findings.py": "RL902"}


def _rule_on_stack(frame: object) -> str | None:
    """The rule whose code is running: the nearest rule module on the stack (helpers called by it count)."""
    f = frame
    while f is not None:
        filename = f.f_code.co_filename  # type: ignore[attr-defined]
        name = Path(filename).name
        if filename.startswith(RULES_DIR) and name.startswith("rl"):
            return name[:5].upper()
        if name in JUDGED_ELSEWHERE and filename.startswith(str(Path(RULES_DIR).parent)):
            return JUDGED_ELSEWHERE[name]
        f = f.f_back  # type: ignore[attr-defined]
    return None


@contextmanager
def recording_reads() -> Iterator[dict[str, set[str]]]:
    """Within the block, every profile loaded records which rule reads which of its settings."""
    reads: dict[str, set[str]] = {}

    class Recording(profiles.Profile):
        __slots__ = ()

        def __getattribute__(self, name: str) -> object:
            if name in SETTING_KEYS:
                code = _rule_on_stack(sys._getframe(1))
                if code is not None:
                    reads.setdefault(code, set()).add(name)
            return super().__getattribute__(name)

    real = profiles.Profile
    profiles._builtin_profile.cache_clear()
    profiles.Profile = Recording  # type: ignore[misc]
    try:
        yield reads
    finally:
        profiles.Profile = real  # type: ignore[misc]
        profiles._builtin_profile.cache_clear()
