"""The scheduler protocol: who runs next, at every scheduling point.

The runtime runs one thread at a time. Whenever the running thread reaches a scheduling point
(an operation on a controlled primitive, a program step, a line of target code) the runtime
lists the *options*, the steps that could happen next, and asks the scheduler to pick one.

An option is a :class:`Choice`: thread ``tid`` takes its next step, or (``timeout=True``) the
virtual clock advances to ``tid``'s deadline and that thread's blocked call times out.
``obj``/``access`` say what the step touches, for partial-order reduction: two steps are
*independent* when both touch known, different objects and neither is a timeout.

Contract:

* :meth:`Scheduler.start` begins a schedule; it returns False when the scheduler has nothing
  left to run (an exhaustive search is complete, a replay has been played, a budget is spent).
* :meth:`Scheduler.choose` is called with ``options`` that are **never empty** and sorted by
  ``(tid, timeout)``; it returns one of them (the same object). Given the same history of
  options it makes the same choice: schedulers are deterministic for a given seed.
* :meth:`Scheduler.finish` ends the schedule, whatever its outcome; ``cut_short`` is True when
  the run stopped before every thread finished or blocked for good (a step bound, a crash in
  the runtime, uncontrolled blocking), so the schedules below it were not all explored.
* :attr:`Scheduler.exhaustive` is True once every schedule the scheduler would ever run has
  been run and none was cut short: the result then covers all behaviours (within any bound).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Choice", "Scheduler", "decode_choice", "dependent", "encode_choice"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One step the runtime could take next.

    ``tid``: the thread. ``timeout``: let its blocked call time out instead of stepping.
    ``obj``: a small integer naming the object the step touches (stable within one run:
    numbered in creation order), or None when unknown. ``access``: what the step does to it
    (``"acquire"``, ``"release"``, ``"line"``, ``"op"``...), for display and reduction.
    """

    tid: int
    timeout: bool = False
    obj: int | None = None
    access: str = ""

    @property
    def key(self) -> tuple[int, bool]:
        """What identifies the choice across runs: the thread and whether it times out."""
        return (self.tid, self.timeout)


def dependent(a: Choice, b: Choice) -> bool:
    """True if steps ``a`` and ``b`` may not commute (conservative).

    >>> dependent(Choice(0, obj=1), Choice(1, obj=2))
    False
    >>> dependent(Choice(0, obj=1), Choice(1, obj=1))
    True
    >>> dependent(Choice(0, obj=None), Choice(1, obj=2))
    True
    """
    if a.tid == b.tid:
        return True
    if a.timeout or b.timeout or a.obj is None or b.obj is None:
        return True
    return a.obj == b.obj


def encode_choice(choice: Choice) -> int:
    """A choice as one small integer: ``2 * tid + timeout`` (for replay tokens).

    >>> decode_choice(encode_choice(Choice(3, timeout=True)))
    (3, True)
    """
    return 2 * choice.tid + int(choice.timeout)


def decode_choice(code: int) -> tuple[int, bool]:
    """The ``(tid, timeout)`` key of an encoded choice."""
    return code // 2, bool(code % 2)


@runtime_checkable
class Scheduler(Protocol):
    """Decides the interleaving. See the module docstring for the contract."""

    name: str

    def start(self) -> bool:
        """Begin the next schedule; False when there is nothing left to run."""
        ...

    def choose(self, options: Sequence[Choice]) -> Choice:
        """Return one of ``options`` (never empty, sorted by ``(tid, timeout)``)."""
        ...

    def finish(self, cut_short: bool = False) -> None:
        """End the current schedule (``cut_short``: it did not run to its end)."""
        ...

    @property
    def exhaustive(self) -> bool:
        """True once every schedule this scheduler would run has been run, none cut short."""
        ...
