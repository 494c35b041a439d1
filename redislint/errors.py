"""Errors a user can fix (exit 2 with a message) and the bug report for everything else."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the command line, a profile or a config file; the message says what to do."""


def bug_report(exc: BaseException, context: str = "") -> str:
    """A short report asking for an issue, with the innermost frame — never a full traceback."""
    import traceback  # only on the error path (it costs every start ~1 ms of imports otherwise)

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    ctx = f" while {context}" if context else ""
    return (f"redislint: internal error{ctx}: {type(exc).__name__}: {exc}{where}\n"
            "This is a bug in redislint, not in your files. Please report it with the file that caused it.")
