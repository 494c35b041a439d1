"""Errors a user can fix (exit 2 with a message), a run stopped by a signal, and the bug report for everything else."""

from __future__ import annotations

import errno

# Writing failed because of the place written to, not because of redislint: a full disk, a quota,
# a file size limit (`ulimit -f`), a failing device.
WRITE_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EROFS")
                         if hasattr(errno, name))


class UserError(Exception):
    """A mistake in the command line, a profile or a config file; the message says what to do."""


class Stopped(BaseException):
    """A termination signal (SIGTERM, SIGHUP) arrived: unwind (`finally` blocks stop the workers),
    then exit with 128 + the signal number, as a shell reports a process the signal ended.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def write_error(exc: OSError, where: str) -> UserError:
    """The message for a write that failed: where, and the system's reason (`No space left on device`)."""
    return UserError(f"cannot write {where}: {exc.strerror or exc}")


def bug_report(exc: BaseException, context: str = "") -> str:
    """A short report asking for an issue, with the innermost frame — never a full traceback."""
    import traceback  # noqa: PLC0415 - only on the error path; at the top every start pays its imports

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    ctx = f" while {context}" if context else ""
    return (f"redislint: internal error{ctx}: {type(exc).__name__}: {exc}{where}\n"
            "This is a bug in redislint, not in your files. Please report it with the file that caused it.")
