"""Threads the target starts, run under control as further threads of the run.

A barrier may start threads of its own: a :class:`threading.Timer` for its timeouts, a helper
thread per generation. Started for real, such a thread would run beside the scheduler (its
controlled locks used by a thread outside the run, its blocking invisible to the deadlock
verdict, Python's threading bookkeeping confused by controlled locks). While a target runs,
:meth:`threading.Thread.start` on a thread of the run therefore does not start an OS thread of
its own: the :class:`~threading.Thread` object's ``run()`` becomes one more worker of the run,
scheduled and preempted like the scenario's threads, its blocking part of every verdict.
``join()`` and ``is_alive()`` on such a thread ask the run, and ``join()`` is a scheduling point
that blocks until the thread is done (or its timeout expires, in virtual time). Threads started
anywhere else are started as usual.

A ``concurrent.futures`` thread pool starts its workers this way too; what else it needs (a
controlled work queue) is in :mod:`~barrierlab.checker.runtime.pools`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ATTRIBUTE", "threads_under_control"]

#: The attribute a Thread started under control carries: its worker in the run.
ATTRIBUTE = "_barrierlab_worker"

_start = threading.Thread.start
_join = threading.Thread.join
_is_alive = threading.Thread.is_alive


def _controlling_run() -> Any:
    from barrierlab.checker.runtime import run as runtime

    run = runtime.active_run()
    return run if run is not None and run.in_control() else None


def _worker_of(thread: threading.Thread) -> Any:
    worker = thread.__dict__.get(ATTRIBUTE)
    if worker is None:
        return None
    from barrierlab.checker.runtime import run as runtime

    run = runtime.active_run()
    return worker if run is not None and worker.run is run else None


def start(self: threading.Thread) -> None:
    run = _controlling_run()
    if run is None:
        _start(self)
        return
    if self.__dict__.get(ATTRIBUTE) is not None:
        raise RuntimeError("threads can only be started once")
    self.__dict__[ATTRIBUTE] = run.spawn(self)


def join(self: threading.Thread, timeout: float | None = None) -> None:
    worker = _worker_of(self)
    if worker is None:
        _join(self, timeout)
        return
    worker.run.join(worker, timeout)


def is_alive(self: threading.Thread) -> bool:
    worker = _worker_of(self)
    if worker is None:
        return _is_alive(self)
    return not worker.done


@contextmanager
def threads_under_control() -> Iterator[None]:
    """Replace ``Thread.start``, ``join`` and ``is_alive`` (see the module docstring)."""
    threading.Thread.start = start  # type: ignore[method-assign]
    threading.Thread.join = join  # type: ignore[method-assign]
    threading.Thread.is_alive = is_alive  # type: ignore[method-assign]
    try:
        yield
    finally:
        threading.Thread.start = _start  # type: ignore[method-assign]
        threading.Thread.join = _join  # type: ignore[method-assign]
        threading.Thread.is_alive = _is_alive  # type: ignore[method-assign]
