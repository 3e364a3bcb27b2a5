"""A pool of OS threads reused across schedules.

Starting and joining an OS thread costs about as much as a hundred scheduling steps, and a
check runs thousands of short schedules, so worker threads are kept between runs. A pooled
thread runs one task at a time: :func:`start` hands it a task and returns a :class:`Lease`;
:meth:`Lease.wait` waits (with a real-time limit) until the task has returned. A thread whose
task does not return (blocked outside barrierlab's control) is *retired* with
:meth:`Lease.retire`: it is never handed another task and ends by itself if its task ever
returns.

Pooled threads are daemon threads, idle on a real lock between tasks; thread-local state a
target keeps in a pooled thread outlives a schedule, so targets should keep per-barrier state
on the barrier.
"""

from __future__ import annotations

import _thread
import threading
from collections.abc import Callable

__all__ = ["Lease", "busy_count", "idle_count", "start"]

_real_lock = _thread.allocate_lock
_IDLE: list[_PooledThread] = []
_ALL: list[_PooledThread] = []
_GUARD = _real_lock()


class _PooledThread:
    def __init__(self) -> None:
        self.go = _real_lock()
        self.go.acquire()
        self.finished = _real_lock()
        self.finished.acquire()
        self.task: Callable[[], None] | None = None
        self.retired = False
        self.thread = threading.Thread(target=self._loop, name="barrierlab-worker", daemon=True)
        self.thread.start()
        self.ident: int = self.thread.ident  # type: ignore[assignment]
        with _GUARD:
            _ALL.append(self)

    def _loop(self) -> None:
        while True:
            self.go.acquire()
            task, self.task = self.task, None
            try:
                if task is not None:
                    task()
            finally:
                self.finished.release()
            if self.retired:
                return


class Lease:
    """One task on one pooled thread."""

    __slots__ = ("_pooled", "done")

    def __init__(self, pooled: _PooledThread) -> None:
        self._pooled = pooled
        self.done = False

    @property
    def ident(self) -> int:
        """The OS thread's identifier (stable while the task runs)."""
        return self._pooled.ident

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` real seconds for the task to return; True if it did."""
        if not self.done and self._pooled.finished.acquire(True, timeout):
            self.done = True
            # Idle again only once its task was waited for: a thread the target starts during
            # a run never gets a pooled thread whose earlier task of that run is unwaited.
            with _GUARD:
                _IDLE.append(self._pooled)
        return self.done

    def retire(self) -> None:
        """Never hand this thread another task (its task is stuck outside our control)."""
        if not self.done:
            self._pooled.retired = True


def start(task: Callable[[], None]) -> Lease:
    """Run ``task`` on an idle pooled thread (a new one if none is idle)."""
    with _GUARD:
        pooled = _IDLE.pop() if _IDLE else None
    if pooled is None:
        pooled = _PooledThread()
    pooled.task = task
    pooled.go.release()
    return Lease(pooled)


def idle_count() -> int:
    """How many pooled threads wait for a task."""
    return len(_IDLE)


def busy_count() -> int:
    """How many pooled threads, not retired, are still running a task."""
    with _GUARD:
        idle = {id(p) for p in _IDLE}
        return sum(1 for p in _ALL if not p.retired and id(p) not in idle and p.thread.is_alive())
