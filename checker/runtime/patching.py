"""Putting the controlled lock and clock in place while a target runs, and taking them out.

What is replaced, for the duration of one run:

* ``threading.Lock`` and ``threading._allocate_lock`` (so ``Condition``, ``Semaphore``,
  ``BoundedSemaphore``, ``Event`` and ``Barrier`` build on controlled locks; the names, and
  what they are on each Python, are in :mod:`barrierlab.checker.runtime.versions`), and
  ``threading._CRLock`` (set to None, so ``threading.RLock()`` builds the pure-Python RLock on
  a controlled lock); ``_thread.allocate_lock`` and ``_thread.RLock``;
* the clock: ``time.monotonic``, ``time.time``, ``time.sleep`` and ``threading._time``, and
  ``os.sched_yield`` (a yield, as ``sleep(0)``: see *Fair schedules* in
  :mod:`~barrierlab.checker.runtime.run`);
* ``threading.Thread.start``, ``join`` and ``is_alive``: a thread the target starts runs as one
  more thread of the run (:mod:`~barrierlab.checker.runtime.spawned`);
* ``concurrent.futures.thread``'s work queue class and global lock, so a thread pool the
  target makes runs under control too (:mod:`~barrierlab.checker.runtime.pools`);
* ``sys.unraisablehook``: an :class:`~barrierlab.checker.runtime.run.Abandoned` that lands in a
  callback Python cannot raise from (a weakref callback or ``__del__`` run by the garbage
  collector on a worker being unwound) is the runtime's, not the target's: it is not printed
  (the worker is asked again); every other unraisable goes to the hook as before;
* ``os._exit``: on a thread of a run it raises :class:`~barrierlab.checker.runtime.run.TargetExit`
  instead of ending the process, so a check reports it and goes on;
* in every module given as a *target module*, any global bound to one of the originals
  (``from threading import Lock``, ``from time import monotonic as now``...).

Each replacement serves a controlled object only on a worker of the active run (or while the
barrier is being constructed); any other thread, the checker's own included, gets the real one.
Everything is restored when the context exits, also on error or interrupt.
"""

from __future__ import annotations

import _thread
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from types import ModuleType
from typing import Any

from barrierlab.checker.runtime import run as runtime
from barrierlab.checker.runtime.pools import pools_under_control
from barrierlab.checker.runtime.primitives import EPOCH, ControlledLock
from barrierlab.checker.runtime.spawned import threads_under_control
from barrierlab.checker.runtime.versions import LOCK_NAMES

__all__ = ["controlled"]

_ORIGINAL: dict[str, Callable[..., Any]] = {
    "Lock": threading.Lock,
    "allocate_lock": _thread.allocate_lock,
    "RLock": _thread.RLock,
    "monotonic": time.monotonic,
    "time": time.time,
    "sleep": time.sleep,
}
_ORIGINAL["_exit"] = os._exit
if hasattr(os, "sched_yield"):
    _ORIGINAL["sched_yield"] = os.sched_yield


def _controlling() -> runtime.Run | None:
    run = runtime.active_run()
    if run is not None and run.in_control():
        return run
    return None


def _lock(*args: Any, **kwargs: Any) -> Any:
    run = _controlling()
    if run is None:
        return _ORIGINAL["allocate_lock"](*args, **kwargs)
    return ControlledLock(run)


def _rlock(*args: Any, **kwargs: Any) -> Any:
    if _controlling() is None:
        return _ORIGINAL["RLock"](*args, **kwargs)
    return threading._PyRLock(*args, **kwargs)  # type: ignore[attr-defined]


def _monotonic() -> float:
    run = _controlling()
    return _ORIGINAL["monotonic"]() if run is None else run.read_clock()


def _time() -> float:
    run = _controlling()
    return _ORIGINAL["time"]() if run is None else EPOCH + run.read_clock()


def _sleep(seconds: float) -> None:
    run = _controlling()
    if run is None:
        _ORIGINAL["sleep"](seconds)
    else:
        run.sleep(seconds)


def _exit(code: int) -> None:
    if _controlling() is None:
        _ORIGINAL["_exit"](code)
    raise runtime.TargetExit(code)


def _sched_yield() -> None:
    run = _controlling()
    if run is None:
        _ORIGINAL["sched_yield"]()
    else:
        run.sleep(0, "sched_yield")


_REPLACEMENT = {
    id(_ORIGINAL["Lock"]): _lock,
    id(_ORIGINAL["allocate_lock"]): _lock,
    id(_ORIGINAL["RLock"]): _rlock,
    id(_ORIGINAL["monotonic"]): _monotonic,
    id(_ORIGINAL["time"]): _time,
    id(_ORIGINAL["sleep"]): _sleep,
    id(_ORIGINAL["_exit"]): _exit,
}
if "sched_yield" in _ORIGINAL:
    _REPLACEMENT[id(_ORIGINAL["sched_yield"])] = _sched_yield


class _Patches:
    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []

    def set(self, owner: Any, name: str, value: Any) -> None:
        self._saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def restore(self) -> None:
        while self._saved:
            owner, name, value = self._saved.pop()
            setattr(owner, name, value)


def _dropping_abandoned(hook: Callable[[Any], Any]) -> Callable[[Any], None]:
    """``hook``, except for an unraisable ``Abandoned`` (see the module docstring)."""

    def unraisable(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, runtime.Abandoned):
            hook(unraisable)

    return unraisable


@contextmanager
def controlled(target_modules: Iterable[ModuleType] = ()) -> Iterator[None]:
    """Replace the lock and the clock (see the module docstring) until the block exits."""
    patches = _Patches()
    stack = ExitStack()
    try:
        for owner, name in LOCK_NAMES:
            patches.set(owner, name, _lock)
        patches.set(threading, "_CRLock", None)
        patches.set(threading, "_time", _monotonic)
        patches.set(_thread, "RLock", _rlock)
        patches.set(time, "monotonic", _monotonic)
        patches.set(time, "time", _time)
        patches.set(time, "sleep", _sleep)
        patches.set(os, "_exit", _exit)
        patches.set(sys, "unraisablehook", _dropping_abandoned(sys.unraisablehook))
        stack.enter_context(threads_under_control())
        stack.enter_context(pools_under_control())
        if "sched_yield" in _ORIGINAL:
            patches.set(os, "sched_yield", _sched_yield)
        for module in target_modules:
            if module in (threading, time, _thread, os):
                continue
            for name, value in list(vars(module).items()):
                replacement = _REPLACEMENT.get(id(value))
                if replacement is not None and value is not replacement:
                    patches.set(module, name, replacement)
        yield
    finally:
        stack.close()
        patches.restore()
