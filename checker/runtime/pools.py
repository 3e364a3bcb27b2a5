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
dropped (only then: a job that fails is the target's business).

A pool made elsewhere (at import, before the check, or in an earlier run and kept in a
global) is *lent* to the run that first uses it from one of its threads (``submit`` or
``shutdown``): for that run it gets fresh state of the run's own (the pure-Python queue, a
controlled idle semaphore and lock, no workers), and when the run has unwound its own state is
put back. So every run sees such a pool as new, whatever earlier runs did with it: its workers
are threads of the run, and the same schedule gives the same run. Whether it was shut down
stays as it was. Pools used only outside runs are left alone.
"""

from __future__ import annotations

import concurrent.futures.thread as pool_module
import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from barrierlab.checker.runtime import run as runtime
from barrierlab.checker.runtime.primitives import ControlledLock
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


#: What a pool keeps of its workers and their work: lent afresh to a run (see above).
_LENT = ("_work_queue", "_idle_semaphore", "_threads", "_shutdown_lock")


def _own_to(run: runtime.Run, pool: Any) -> bool:
    lock = pool.__dict__.get("_shutdown_lock")
    return isinstance(lock, ControlledLock) and lock._run is run


def _lend(pool: Any) -> None:
    """Give ``pool`` fresh state of the controlling run's own, if it has none yet."""
    run = _controlling()
    if run is None or _own_to(run, pool) or not all(n in pool.__dict__ for n in _LENT):
        return
    saved = {name: pool.__dict__[name] for name in _LENT}
    pool._work_queue = queue._PySimpleQueue()  # type: ignore[attr-defined]
    pool._idle_semaphore = threading.Semaphore(0)  # patched: on controlled locks
    pool._threads = set()
    pool._shutdown_lock = threading.Lock()
    run.at_end.append(functools.partial(pool.__dict__.update, saved))


def _lending(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def lent(self: Any, *args: Any, **kwargs: Any) -> Any:
        _lend(self)
        return method(self, *args, **kwargs)

    return lent


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
    executor = pool_module.ThreadPoolExecutor
    methods = {name: executor.__dict__[name] for name in ("submit", "shutdown")}
    for name, method in methods.items():
        setattr(executor, name, _lending(method))
    _LOGGER.addFilter(_not_unwinding)
    try:
        yield
    finally:
        _LOGGER.removeFilter(_not_unwinding)
        for name, method in methods.items():
            setattr(executor, name, method)
        names.update(saved)
        registered = names["_threads_queues"]
        for thread in list(registered):
            if thread.__dict__.get(ATTRIBUTE) is not None:
                registered.pop(thread, None)
