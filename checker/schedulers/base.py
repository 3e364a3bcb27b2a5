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

Three optional hooks, each a protocol of its own that a scheduler implements or not (the
runtime or the explorer checks with ``isinstance``, and calls nothing else):

* :class:`ReportsBlocked`: ``blocked(pending)``, which the explorer calls through
  :func:`report_blocked` right before :meth:`~Scheduler.finish`, with the steps that the threads
  still blocked at the end of the run were waiting to take (one :class:`Choice` per such
  thread, ``timeout=False``; empty when every thread finished). Partial-order reduction needs
  it to stay sound on runs that end in a deadlock: the DFS scheduler, never told, assumes the
  worst (less reduction).
* :class:`ReportsQuiet`: ``quiet()``, which the runtime calls through :func:`report_quiet`
  after a step it chose read no virtual time (no recorded event, no ``time.monotonic()``, no
  deadline taken). A timeout commutes with such a step (see :func:`dependent`), which only
  the step's own run can tell: untold, every step is taken to have read the clock.
* :class:`Deadlined`: a ``deadline`` attribute (a real ``time.monotonic()`` instant, or None),
  after which :meth:`~Scheduler.start` returns False. The explorer sets it before each turn it
  gives the scheduler (:func:`barrierlab.checker.explore.check.check` shares the budget out in
  rounds), so a scheduler that divides its time between phases can see how much it has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from barrierlab.model.errors import InvalidArgument

__all__ = [
    "Choice",
    "Deadlined",
    "Footprint",
    "ReportsBlocked",
    "ReportsQuiet",
    "Scheduler",
    "check_int",
    "decode_choice",
    "dependent",
    "derive_seed",
    "encode_choice",
    "report_blocked",
    "report_quiet",
]


@dataclass(frozen=True, slots=True)
class Footprint:
    """Keys a step reads and writes, besides the object of a lock operation (see
    :mod:`barrierlab.checker.runtime.footprint` for the keys).

    ``untraced``: the step may also run target code that is not traced, which may touch any
    shared state; such steps are assumed to touch it only under a controlled lock (so they do
    not conflict with one another: their lock operations order them), but they conflict with
    every step that touches a key other than the trace.

    >>> a = Footprint(frozenset({("a", 1, "x")}), frozenset())
    >>> b = Footprint(frozenset(), frozenset({("a", 1, "x")}))
    >>> a.conflicts(a), a.conflicts(b), b.conflicts(b)
    (False, True, True)
    >>> u = Footprint(untraced=True)
    >>> u.conflicts(u), u.conflicts(a), u.conflicts(Footprint(writes=frozenset({("trace",)})))
    (False, True, False)
    """

    reads: frozenset[Any] = frozenset()
    writes: frozenset[Any] = frozenset()
    untraced: bool = False
    #: The step records a ``"call"`` or a ``"return"`` event (or a raise); it also reads the
    #: trace. Two calls commute, as do two returns: a trace is judged by linearizability,
    #: which cannot tell adjacent calls (or adjacent returns) apart; a call and a return
    #: do not. Steps recording anything else write the trace.
    records: str = ""
    #: Cell variables the step stores (in the frame that owns the cells), and free variables
    #: it loads (in a closure): a store conflicts with a load of the same name only. Two
    #: frames' own cells are distinct, so stores never conflict with one another; a load of a
    #: frame's own cell is the frame's own business.
    cell_stores: frozenset[str] = frozenset()
    free_loads: frozenset[str] = frozenset()

    def conflicts(self, other: Footprint) -> bool:
        if self.records and other.records and self.records != other.records:
            return True
        if (self.cell_stores and not self.cell_stores.isdisjoint(other.free_loads)) or (
            other.cell_stores and not other.cell_stores.isdisjoint(self.free_loads)
        ):
            return True
        w, ow = self.writes, other.writes
        if w and (not w.isdisjoint(ow) or not w.isdisjoint(other.reads)):
            return True
        if ow and not ow.isdisjoint(self.reads):
            return True
        if self.untraced and other.touches_data:
            return True
        return other.untraced and self.touches_data

    @property
    def touches_data(self) -> bool:
        """Reads or writes a key other than the trace (a cell counts)."""
        return (
            bool(self.reads - _TRACE_KEYS)
            or bool(self.writes - _TRACE_KEYS)
            or bool(self.cell_stores or self.free_loads)
        )

    def __or__(self, other: Footprint) -> Footprint:
        return Footprint(
            self.reads | other.reads,
            self.writes | other.writes,
            self.untraced or other.untraced,
            self.records or other.records,
            self.cell_stores | other.cell_stores,
            self.free_loads | other.free_loads,
        )

    def __bool__(self) -> bool:
        return bool(
            self.reads
            or self.writes
            or self.untraced
            or self.records
            or self.cell_stores
            or self.free_loads
        )


_TRACE_KEYS = frozenset({("trace",)})


@dataclass(frozen=True, slots=True)
class Choice:
    """One step the runtime could take next.

    ``tid``: the thread. ``timeout``: let its blocked call time out instead of stepping.
    ``obj``: a small integer naming the object the step touches (stable within one run:
    numbered in creation order), or None when unknown. ``access``: what the step does to it
    (``"acquire"``, ``"release"``, ``"line"``, ``"op"``...), for display and reduction.
    ``can_time_out``: False only for a step that can never be replaced by a timeout (a blocking
    ``"acquire"`` with no deadline); reduction then knows that it never races with the
    ``"release"`` of a held lock. True (the default) is always safe.
    ``footprint``: the shared state the step reads and writes besides ``obj``
    (a :class:`Footprint`), or None. A step with neither
    ``obj`` nor ``footprint`` may touch anything.

    A timeout (``timeout=True``) with a ``footprint`` is one the runtime could describe: it
    moves the virtual clock, ends ``tid``'s timed acquire of lock ``obj``, and is offered only
    while the locks in ``footprint.reads`` (those of the other timed acquires due before it)
    stay as they are; no fairness gate is set by it or holds it back. Without a footprint a
    timeout may touch anything.

    ``quiet``: the step is known not to have read the virtual clock. Set only on a step that
    ran (what the runtime reports after it, see :class:`ReportsQuiet`), never on an option: a
    step not yet taken may read it (a recorded call, ``time.monotonic()``, a deadline).
    """

    tid: int
    timeout: bool = False
    obj: int | None = None
    access: str = ""
    can_time_out: bool = True
    footprint: Footprint | None = None
    quiet: bool = False

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
    >>> x = Footprint(frozenset({("a", 1, "x")}))
    >>> dependent(Choice(0, footprint=x), Choice(1, obj=2, footprint=x))
    False

    A timeout moves the virtual clock, which every recorded event and every deadline reads:
    two timeouts are dependent, and a timeout with no footprint is dependent with every step.
    One with a footprint (see :class:`Choice`) is independent of a step that did not read the
    clock and touches neither its lock nor the locks it reads:

    >>> t = Choice(0, timeout=True, obj=1, footprint=Footprint(frozenset({("l", 2)})))
    >>> dependent(t, Choice(1, obj=3, quiet=True)), dependent(t, Choice(1, obj=3))
    (False, True)
    >>> dependent(t, Choice(1, obj=2, quiet=True)), dependent(t, Choice(1, obj=1, quiet=True))
    (True, True)
    >>> dependent(Choice(0, timeout=True, obj=1), Choice(1, obj=3, quiet=True))
    True
    """
    if a.tid == b.tid:
        return True
    if a.timeout or b.timeout:
        return _timeout_dependent(a, b) if a.timeout else _timeout_dependent(b, a)
    fa, fb = a.footprint, b.footprint
    if (fa is None and a.obj is None) or (fb is None and b.obj is None):
        return True
    if a.obj is not None and a.obj == b.obj:
        return True
    return fa is not None and fb is not None and fa.conflicts(fb)


def _timeout_dependent(t: Choice, s: Choice) -> bool:
    """``t`` a timeout, ``s`` a step of another thread: see :func:`dependent`."""
    fp = t.footprint
    if s.timeout or fp is None or not s.quiet or (s.obj is None and s.footprint is None):
        return True
    return s.obj is not None and (s.obj == t.obj or ("l", s.obj) in fp.reads)


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


@runtime_checkable
class ReportsBlocked(Protocol):
    """The optional hook of a scheduler that wants to know where a run left threads blocked."""

    def blocked(self, pending: Sequence[Choice]) -> None:
        """The steps the threads still blocked at the end of the run were waiting to take."""
        ...


@runtime_checkable
class ReportsQuiet(Protocol):
    """The optional hook of a scheduler that wants to know which steps read no time."""

    def quiet(self) -> None:
        """The step chosen last ran without reading the virtual clock (told before the next
        :meth:`~Scheduler.choose` or :meth:`~Scheduler.finish`; never told: it may have)."""
        ...


@runtime_checkable
class Deadlined(Protocol):
    """The optional attribute of a scheduler that stops at a real-time deadline."""

    #: A real ``time.monotonic()`` instant after which :meth:`Scheduler.start` returns False;
    #: None: no deadline. Set by the explorer before each turn.
    deadline: float | None


def report_blocked(scheduler: Scheduler, pending: Sequence[Choice]) -> None:
    """Tell ``scheduler`` what the threads blocked at the end of a run wait for, if it asks
    (it is a :class:`ReportsBlocked`).

    Call it once per schedule, before ``finish``, with an empty list when all threads finished.
    """
    if isinstance(scheduler, ReportsBlocked):
        scheduler.blocked(list(pending))


def report_quiet(scheduler: Scheduler) -> None:
    """Tell ``scheduler`` that the step it chose last read no virtual time, if it asks (it is
    a :class:`ReportsQuiet`)."""
    if isinstance(scheduler, ReportsQuiet):
        scheduler.quiet()


def derive_seed(seed: int, number: int) -> int:
    """The seed of schedule ``number`` of a run seeded with ``seed`` (64 bits).

    Built from a cryptographic hash of the two numbers, so it is the same on every machine,
    Python version and ``PYTHONHASHSEED``, and neighbouring schedules get unrelated seeds.

    >>> derive_seed(0, 0) == derive_seed(0, 0) != derive_seed(0, 1)
    True
    """
    digest = hashlib.blake2b(f"barrierlab:{seed}:{number}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def check_int(name: str, value: object, *, minimum: int, optional: bool = False) -> None:
    """Raise :class:`InvalidArgument` unless ``value`` is an int >= ``minimum`` (or None if
    ``optional``)."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        accepted = f"an integer >= {minimum}" + (" or None" if optional else "")
        raise InvalidArgument(f"{name} must be {accepted}, got {value!r}")
