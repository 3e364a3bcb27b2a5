"""Everything the runtime does differently on one Python than on another, in one place.

barrierlab supports CPython 3.11 and later, with the GIL and free-threaded (3.13t, 3.14t). The
runtime's tricks (replacing ``threading``'s lock and clock, line tracing, the batons workers
hand each other) touch interpreter details that moved between versions; each such detail is a
name here, with a comment per version. Nothing else in ``checker/runtime`` tests
``sys.version_info``.

>>> PYTHON >= (3, 11)
True
>>> isinstance(gil_enabled(), bool)
True
"""

from __future__ import annotations

import _thread
import sys
import sysconfig
import threading
from typing import Any, Final

__all__ = [
    "FREE_THREADED_BUILD",
    "LOCK_NAMES",
    "PYTHON",
    "build_name",
    "gil_enabled",
    "threading_lock_is_a_class",
]

#: The running interpreter's (major, minor).
PYTHON: Final = sys.version_info[:2]

#: A free-threaded build (3.13t, 3.14t: ``Py_GIL_DISABLED``). Its GIL may still be switched on
#: at run time (``PYTHON_GIL=1``, or an extension module that does not declare support), so
#: what matters for speed and for atomicity is :func:`gil_enabled`.
FREE_THREADED_BUILD: Final = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def gil_enabled() -> bool:
    """True unless this is a free-threaded build running with its GIL off.

    ``sys._is_gil_enabled`` exists from 3.13 on; before it every build has the GIL.
    """
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def build_name() -> str:
    """``3.13`` or ``3.13t`` (free-threaded), as nox sessions and reports name builds."""
    return f"{PYTHON[0]}.{PYTHON[1]}{'t' if FREE_THREADED_BUILD else ''}"


def threading_lock_is_a_class() -> bool:
    """What ``threading.Lock`` is: the class ``_thread.lock`` since 3.13, a function before.

    * 3.11, 3.12: ``threading.Lock = _allocate_lock = _thread.allocate_lock``, one builtin
      function under three names.
    * 3.13, 3.14: ``threading.Lock`` is the class ``_thread.lock`` (so ``isinstance(x,
      threading.Lock)`` works); ``threading._allocate_lock`` and ``_thread.allocate_lock`` are
      still the factory function.
    """
    return isinstance(threading.Lock, type)


#: The names the runtime replaces with its controlled lock factory, as (module, attribute):
#: every way ``threading``'s primitives, or a target, can make a plain lock.
#:
#: * ``threading.Lock``: what targets and ``Barrier``/``Event``/``Semaphore`` call (all
#:   versions; a class from 3.13, see :func:`threading_lock_is_a_class`).
#: * ``threading._allocate_lock``: what ``Condition.wait`` makes its waiter locks with, and
#:   the pure-Python ``RLock``'s inner lock (all versions).
#: * ``_thread.allocate_lock``: targets that bypass ``threading`` (all versions).
#:
#: Not replaced: ``_thread.lock`` (3.13+: the class itself, callable since 3.13; a target
#: calling it directly builds a real lock, which the watchdog reports if it ever blocks) and
#: ``_thread.LockType`` (an alias of the class, not callable before 3.13).
LOCK_NAMES: Final[tuple[tuple[Any, str], ...]] = (
    (threading, "Lock"),
    (threading, "_allocate_lock"),
    (_thread, "allocate_lock"),
)

# Other facts checked against every supported version, kept here so that a new version that
# changes one breaks one place:
#
# * Reentrant locks: ``threading._CRLock`` is ``_thread.RLock`` (3.11-3.14); set to None,
#   ``threading.RLock()`` builds ``threading._PyRLock`` on ``_allocate_lock``.
# * The clock: ``threading`` imports ``from time import monotonic as _time`` (3.11-3.14) and
#   uses it in ``Condition.wait_for`` and ``Semaphore.acquire``.
# * Line tracing: ``sys.settrace`` in the worker thread (3.11-3.14). 3.12+ has
#   ``sys.monitoring`` (PEP 669); measured here (a no-op callback on a loop of plain lines, a
#   loaded 2-core machine, so noisy): about 0.2-0.9 us per line against 0.8-2.2 us for
#   ``settrace`` on 3.12.1, and no clear difference on 3.13.0. Either is small beside one
#   scheduling point (a hand-off, 10-50 us), and ``sys.monitoring`` events are process-wide,
#   not per thread, so its callback would have to filter out the checker's own threads. Not
#   switched: revisit if line tracing ever shows in a profile.
