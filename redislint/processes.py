"""Worker processes: how many CPUs this process may use, how workers start, and ordered maps over them."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Sequence, TypeVar

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


def pool_context() -> Any:
    """`fork` where available (Linux): workers inherit the imported modules and start in milliseconds."""
    import multiprocessing  # only when workers start (10 ms of imports)

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def start_pool(context: Any, processes: int, initializer: Callable[..., None] | None = None,
               initargs: tuple = ()) -> Any:
    """A pool of `processes` workers that ignore Ctrl-C (the parent handles it, and prints no
    traceback), or None where processes cannot be started (no fork, no semaphores: some sandboxes
    and serverless runtimes); callers then do the work in this process."""
    try:
        return context.Pool(processes, initializer=_quiet_worker, initargs=(initializer, initargs))
    except (OSError, ImportError, NotImplementedError):
        return None


def _quiet_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """Worker start: leave SIGINT to the parent, then run the caller's initializer."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
