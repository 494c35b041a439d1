"""Worker processes: how many CPUs this process may use, how workers start and stop, and ordered maps over them."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from redislint.errors import Stopped

# More workers than this gain little: the parent merges and prints everything alone.
MAX_WORKERS = 8
T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except OSError:  # pragma: no cover
            pass
    return max(1, os.cpu_count() or 1)


def cap_jobs(requested: int) -> int:
    """At most one worker per CPU this process may use: more only share the same cores (a
    `--jobs 1000` started a thousand processes). 0 (automatic) and 1 (none) pass through."""
    return min(requested, available_cpus()) if requested >= 2 else requested


# -- termination signals ------------------------------------------------------------------------

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _stop(signum: int, frame: Any) -> None:
    # One-shot: a second signal during the clean-up ends the process the default way.
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While active (in the main thread), SIGTERM and SIGHUP raise `Stopped`: `finally` blocks stop
    worker pools (which otherwise outlive the parent and print tracebacks on the broken pipe), and
    the CLI exits with 128 + the signal. The previous handlers come back afterwards."""
    previous: dict[int, Any] = {}
    try:
        for sig in STOP_SIGNALS:
            previous[sig] = signal.signal(sig, _stop)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def pool_context() -> Any:
    """`fork` where available (Linux): workers inherit the imported modules and start in milliseconds."""
    import multiprocessing  # noqa: PLC0415 - only when workers start: its imports cost every start otherwise

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def start_pool(context: Any, processes: int, initializer: Callable[..., None] | None = None,
               initargs: tuple = ()) -> Any:
    """A pool of at most one worker per CPU (see `cap_jobs`) that leave Ctrl-C to the parent and die
    quietly on SIGTERM (the parent's `pool.terminate()`), or None where processes cannot be started
    (no fork, no semaphores: some sandboxes and serverless runtimes); callers then do the work in
    this process.

    SIGTERM and SIGHUP are blocked while the workers fork, so that none runs the parent's handler
    before its own start-up restores the default; a signal that arrived meanwhile is delivered to
    the parent once the pool exists, and stops it (the pool with it).
    """
    processes = max(1, min(processes, available_cpus()))
    blocked = set(STOP_SIGNALS)
    masked = hasattr(signal, "pthread_sigmask") and bool(blocked)
    pool = None
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        pool = context.Pool(processes, initializer=_quiet_worker, initargs=(initializer, initargs))
    except (OSError, ImportError, NotImplementedError):
        pool = None
    finally:
        if masked:
            try:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
            except Stopped:
                if pool is not None:
                    pool.terminate()
                raise
    return pool


def _quiet_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """Worker start: leave SIGINT to the parent, die on SIGTERM/SIGHUP without a traceback, then run
    the caller's initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask") and STOP_SIGNALS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOP_SIGNALS))
    if initializer is not None:
        initializer(*initargs)


# The function and tasks of the running `map_in_order`, for workers that inherit them by forking.
_INHERITED: list[Any] = []


def map_in_order(fn: Callable[[T], R], tasks: Sequence[T], workers: int) -> list[R]:
    """`[fn(t) for t in tasks]`, with up to `workers` processes: this one does the first task itself.

    The caller keeps a core busy instead of waiting, so on two cores one extra process is enough.
    Forked workers inherit `fn` and the tasks and are sent only an index: pickling thousands of
    findings would cost more than rendering them. Elsewhere `fn` and the tasks must be picklable.
    """
    if workers <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    context = pool_context()
    forked = context.get_start_method() == "fork"
    outer = _INHERITED[:]  # a map running around this one (none today) keeps its tasks
    if forked:
        _INHERITED[:] = [fn, tasks]
    try:
        pool = start_pool(context, min(workers, len(tasks)) - 1)
        if pool is None:
            return [fn(t) for t in tasks]
        with pool:
            if forked:
                rest = pool.map_async(_inherited_task, range(1, len(tasks)), chunksize=1)
            else:
                rest = pool.map_async(fn, tasks[1:], chunksize=1)
            first = fn(tasks[0])
            return [first, *rest.get()]
    finally:
        _INHERITED[:] = outer


def _inherited_task(index: int) -> Any:
    """Run task `index` of the `map_in_order` this worker was forked from."""
    fn, tasks = _INHERITED
    return fn(tasks[index])
