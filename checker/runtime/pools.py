"""``concurrent.futures`` thread pools the target makes, run under control.

A :class:`~concurrent.futures.ThreadPoolExecutor` starts its workers with
:class:`threading.Thread`, which already run as further threads of the run
(:mod:`~barrierlab.checker.runtime.spawned`). What kept a pool out of control is the rest of
it:

* its work queue is a ``queue.SimpleQueue``, written in C: a worker waiting for work blocks
  where no scheduler sees it (an *uncontrolled* verdict after the watchdog's seconds);
* ``submit`` and ``shutdown`` take ``_global_shutdown_lock``, a real lock made when
  ``concurrent.futures.thread`` was imported: a thread preempted while holding it blocks the
  next one for real;
* the module registers every worker in ``_threads_queues``, and joins them all when the
  interpreter exits: workers that ran as threads of a run were never started as OS threads,
  so that join raised "cannot join thread before it is started" at exit.

While a run is in progress, a pool made on a thread of the run therefore gets the pure-Python
``queue._PySimpleQueue`` (built on ``threading.Semaphore``, so on controlled locks: waiting
for work is a scheduling point, and a worker idle at the end of the run counts as blocked), and
the global lock is a controlled lock of the run's own. After each run the workers it started
are taken out of ``_threads_queues``. A worker still waiting for work when the run ends is
unwound like any other thread of the run; the "Exception in worker" its pool logs for that is
dropped (only then: a job that fails is the target's business). Pools made anywhere else, or
before the check (at import), are left alone: their blocking still ends in an *uncontrolled*
verdict.
"""

from __future__ import annotations

import concurrent.futures.thread as pool_module
import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from barrierlab.checker.runtime import run as runtime
from barrierlab.checker.runtime.spawned import ATTRIBUTE

__all__ = ["pools_under_control"]


def _controlling() -> runtime.Run | None:
    run = runtime.active_run()
    return run if run is not None and run.in_control() else None


class _QueueModule:
    """What ``concurrent.futures.thread`` sees as ``queue`` during a run: the real module,
    except that ``SimpleQueue()`` on a thread of the run is the pure-Python one."""

    def __getattr__(self, name: str) -> Any:
        return getattr(queue, name)

    @staticmethod
    def SimpleQueue() -> Any:
        if _controlling() is None:
            return queue.SimpleQueue()
        return queue._PySimpleQueue()  # type: ignore[attr-defined]


class _GlobalLock:
    """``_global_shutdown_lock`` during a run: a controlled lock of the run's own on its
    threads, the real one anywhere else."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self._run: runtime.Run | None = None
        self._lock: Any = None

    def _pick(self) -> Any:
        run = _controlling()
        if run is None:
            return self._real
        if self._run is not run:
            self._run, self._lock = run, threading.Lock()  # patched: a controlled lock
        return self._lock

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        return bool(self._pick().acquire(*args, **kwargs))

    def release(self) -> None:
        self._pick().release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _not_unwinding(record: logging.LogRecord) -> bool:
    """False for what a pool logs on a thread of a run being given up (see above)."""
    run = runtime.active_run()
    return run is None or not run.abandoning or not run.in_control()


_LOGGER = logging.getLogger("concurrent.futures")


@contextmanager
def pools_under_control() -> Iterator[None]:
    """Control the pools a target makes during a run (see the module docstring)."""
    names = vars(pool_module)  # set through the module's dict: typeshed does not list them
    saved = {name: names[name] for name in ("queue", "_global_shutdown_lock")}
    names["queue"] = _QueueModule()
    names["_global_shutdown_lock"] = _GlobalLock(saved["_global_shutdown_lock"])
    _LOGGER.addFilter(_not_unwinding)
    try:
        yield
    finally:
        _LOGGER.removeFilter(_not_unwinding)
        names.update(saved)
        registered = names["_threads_queues"]
        for thread in list(registered):
            if thread.__dict__.get(ATTRIBUTE) is not None:
                registered.pop(thread, None)
