"""The controlled primitives: one lock and one clock, from which ``threading`` builds the rest.

CPython's ``threading`` module builds ``Condition``, ``Semaphore``, ``BoundedSemaphore``,
``Event``, ``Barrier`` and the pure-Python ``RLock`` out of two things: a plain lock
(``threading.Lock`` / ``_allocate_lock``) and a clock (``threading._time``). Replace those two
and every primitive a target can reach runs under the scheduler's control, unmodified:
``Condition.wait`` becomes "acquire a fresh waiter lock" and ``notify`` "release it".

:class:`ControlledLock` is that lock. Every operation is a scheduling point: the calling thread
hands control to the scheduler *before* the operation takes effect, and the operation happens
when the scheduler picks the thread again. A blocking ``acquire`` is only offered to the
scheduler while the lock is free; with a timeout it may instead be *timed out*, which moves the
:class:`VirtualClock` to its deadline. Nothing here ever blocks the OS thread except through
the runtime's baton.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from barrierlab.checker.runtime.footprint import EMPTY, Footprint

if TYPE_CHECKING:  # pragma: no cover
    from barrierlab.checker.runtime.run import Run

__all__ = ["ControlledLock", "Pending", "VirtualClock"]

_DEFAULT = object()

#: What ``time.time()`` reads at virtual time 0 (a fixed epoch keeps runs identical).
EPOCH = 1_700_000_000.0


class VirtualClock:
    """Time that moves only when the scheduler lets a timeout expire.

    >>> c = VirtualClock()
    >>> c.now, c.advance_to(2.5), c.now
    (0.0, None, 2.5)
    """

    __slots__ = ("_now", "read")

    def __init__(self) -> None:
        self._now = 0.0
        #: Set by every read of :attr:`now` (the runtime clears it before each step, to learn
        #: whether the step read the time: partial-order reduction reorders a timeout only
        #: with steps that did not).
        self.read = False

    @property
    def now(self) -> float:
        """The time, as the target and the trace see it (the read is noted: :attr:`read`)."""
        self.read = True
        return self._now

    def peek(self) -> float:
        """The time, for the runtime's own bookkeeping (not noted as read by the step)."""
        return self._now

    def advance_to(self, deadline: float) -> None:
        """Move to ``deadline`` unless time is already past it (time never goes back)."""
        # invariant: virtual time is monotonic.
        self._now = max(self._now, deadline)


class Pending:
    """What a thread waits to do at a scheduling point.

    ``obj``: number of the object touched (None: unknown, dependent with everything);
    ``access``: what it does (for display and reduction); ``enabled``: None when the step can
    always run, else a predicate; ``deadline``: virtual time at which a blocked step may time
    out (None: never); ``footprint``: what the operation itself reads and writes besides
    ``obj`` (see :mod:`~barrierlab.checker.runtime.footprint`; None: unknown, the default
    without ``obj``). The lines of target code still in progress add theirs.
    """

    __slots__ = ("access", "deadline", "enabled", "footprint", "obj")

    def __init__(
        self,
        obj: int | None,
        access: str,
        enabled: Callable[[], bool] | None = None,
        deadline: float | None = None,
        footprint: Footprint | object | None = _DEFAULT,
    ) -> None:
        self.obj: int | None = obj
        self.access: str = access
        self.enabled = enabled
        self.deadline: float | None = deadline
        self.footprint: Footprint | None
        if isinstance(footprint, Footprint) or footprint is None:
            self.footprint = footprint
        else:  # not given
            self.footprint = None if obj is None else EMPTY

    def can_run(self) -> bool:
        return self.enabled is None or self.enabled()

    def __repr__(self) -> str:
        return f"Pending({self.obj!r}, {self.access!r}, deadline={self.deadline!r})"


def _active() -> Run | None:
    # The run module imports this one: import it on first use (then it is in sys.modules).
    from barrierlab.checker.runtime.run import active_run

    return active_run()


class ControlledLock:
    """A non-reentrant lock with the API of ``_thread.lock``, run by the scheduler.

    Like a real lock, it may be released by a thread other than the one that acquired it
    (``Condition.notify`` relies on that). ``holder`` remembers the last acquirer, for the
    wait-for graph of a deadlock report.
    """

    __slots__ = ("__weakref__", "_locked", "_run", "holder", "number")

    def __init__(self, run: Run) -> None:
        self._run = run
        self._locked = False
        self.holder: int | None = None
        self.number = run.new_object_number()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        run = self._current_run()
        if not blocking:
            run.schedule_point(Pending(self.number, "try-acquire"))
            if self._locked:
                return False
        else:
            deadline = None if timeout == -1 else run.clock.now + timeout
            if deadline is not None and not math.isfinite(deadline):
                deadline = None
            timed_out = run.schedule_point(
                Pending(self.number, "acquire", self._is_free, deadline), blocking_on=self
            )
            if timed_out:
                return False
        # invariant: a lock is taken only when free (the scheduler offered the step).
        assert not self._locked
        self._locked = True
        self.holder = run.current_tid()
        return True

    def release(self) -> None:
        if not self._locked:
            raise RuntimeError("release unlocked lock")
        self._current_run().schedule_point(Pending(self.number, "release"))
        self._locked = False
        self.holder = None

    def _current_run(self) -> Run:
        """The run this lock belongs to. A lock made in an earlier run and kept (a module's
        lazily built global, such as ``multiprocessing.heap``'s) joins the run now active when
        one of its threads uses it, as a new object of that run."""
        run = self._run
        active = _active()
        if active is not None and active is not run and active.in_control():
            self._run = run = active
            self.number = active.new_object_number()
        return run

    def _is_free(self) -> bool:
        return not self._locked

    def locked(self) -> bool:
        return self._locked

    __enter__ = acquire

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def _at_fork_reinit(self) -> None:  # pragma: no cover - fork is not supported under control
        self._locked = False

    def __repr__(self) -> str:
        state = f"locked by t{self.holder}" if self._locked else "unlocked"
        return f"<controlled lock #{self.number} {state}>"
