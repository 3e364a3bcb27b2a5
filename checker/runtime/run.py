"""The controlled runtime: real threads, one at a time, in the order the scheduler picks.

How a run works
---------------

Each thread program runs on a real OS thread (a *worker*, taken from a pool of threads reused
across runs: see :mod:`barrierlab.checker.runtime.thread_pool`), and every worker owns a *baton*: a
real lock it blocks on while it is not its turn. Exactly one worker runs at any moment. When
the running worker reaches a scheduling point (an operation on a controlled lock, the start of
a program step, a line of target code when line-level preemption is on) it records what it is
about to do (a :class:`~barrierlab.checker.runtime.primitives.Pending`), and then, still on its own
thread, lists the options (every worker whose pending step can run, and every blocked worker
whose timeout may expire next), asks the scheduler to choose, releases the chosen worker's
baton and blocks on its own. So one scheduling step costs one OS-thread hand-off, and the
scheduler is only ever called by the one thread that is running.

Example, two workers sharing a lock L: t0 is at ``acquire L`` and t1 at ``acquire L``. The
options are both; say the scheduler picks t1. t0 releases t1's baton and blocks on its own; t1
takes L and runs until its next point, ``release L``. Now t0's acquire is not enabled (L is
held), so the only option is t1 again; t1 continues without any hand-off.

The run ends when there are no options: every worker finished (``complete``), or some are
blocked with nothing to wake them and no deadline pending (``deadlock``), or only time could
move anyone, no wait of the scenario has a deadline ahead, and the threads' timed steps ended
round after round without any event (``stalled``: they poll for something that never comes,
and count as blocked). A run that takes the step bound of steps without virtual time passing
goes on under a fair schedule (below); it ends as a ``livelock`` when that makes no progress
(no event, no thread finished, no time passing) for the step bound of steps either, or after
fifty times the bound in all. A run also ends when the controlling thread sees no step
for ``watchdog`` real seconds (``uncontrolled``: a worker blocked on something we do not
control, such as a real lock, or spins without a scheduling point). Workers still inside the
target are then unwound: woken one at a time with :class:`Abandoned`, which every later
scheduling point re-raises.

Fair schedules
--------------

A thread that polls (``time.sleep``, ``os.sched_yield``, a timed wait that expired, in a loop)
yields without progress. Offered again at once, it could be chosen forever while the thread it
waits for never runs: a schedule no fair OS scheduler makes, and no evidence of a livelock. As
in CHESS (Musuvathi and Qadeer, PLDI 2008), a thread that has yielded is *gated*: its next
yield (a sleep, a timeout) is not offered while another thread can run, until another thread
has taken a step. A yield is a sleep, a ``sched_yield``, or a timeout of a thread that timed
out before with no event recorded since (a timed wait that expired, again: the first expiry
is a barrier's own timeout, which sets no gate, so that it commutes with the other threads'
steps that read no time). Its ordinary steps are never held back, so races are explored as
before; and when nothing else can run, its timeouts are offered and virtual time passes, so a
poller's own deadline is explored. A loop that never yields and never progresses still reaches
the step bound: a livelock.

Yielding is not the only way to wait: a thread may spin on a lock-protected flag, taking real
steps, and a scheduler may choose it every time, starving the thread that would set the flag.
So a run that reaches the step bound under the scheduler's choices, having passed over a
thread that could step, is not called a livelock at once: it goes on under a fair schedule
(every thread that can step, in turn, one step each; see :meth:`Run._fair_choice`), and is a
livelock only if that makes no progress within the bound either. (A run that passed over no
thread is a livelock at once: fairness would change nothing.) A spin that waits for a thread
that runs is then not a livelock; a loop that waits for nothing (never yields, never
progresses) still is.

The events a run records (calls, returns, raises, action start and end) are appended by the
running worker, so their order is the one order in which they happened.

Footprints (``Config.footprints``, on by default)
-------------------------------------------------

Each option then carries what its step may read and write
(:mod:`~barrierlab.checker.runtime.footprint`), so that partial-order reduction reorders only
steps that commute. A step runs from one scheduling point of its thread to the next, so it may
run (the rest of) every line in progress in the thread's traced frames, and whatever those
lines call: its footprint is the union of theirs, resolved afresh each time the options are
listed (another thread may have changed what a path such as ``self._waiters`` leads to), plus
the operation at the point itself (a lock). A line whose footprint is empty is not a point: it
runs as part of the step before it. Three things keep this sound:

* anything the analysis cannot follow is *unknown* (the option has neither ``obj`` nor
  ``footprint``), dependent with every step, as every line was before;
* recording an event writes the trace, so steps that record are never reordered; since the
  step that ends a barrier call cannot know in advance that it will, the outcome is recorded
  in a step of its own (the ``"return"`` point), as is the start of the action;
* a call of traced code whose result the caller's line reads, and which returns anything but a
  plain value, ends its step there (an unknown ``"return value"`` step).

At sync level (no traced lines) steps between lock operations run untraced target code; as
before footprints, dependence there assumes that code touches shared state only while holding
a controlled lock (steps reading an attribute by name, which may not, stay unknown).
"""

from __future__ import annotations

import _thread
import ctypes
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import FrameType
from typing import Any, TypeAlias

from barrierlab.checker.config import Config
from barrierlab.checker.outcomes import RunOutcome
from barrierlab.checker.runtime import thread_pool as workers
from barrierlab.checker.runtime.breadcrumb import Breadcrumb
from barrierlab.checker.runtime.bytecode import LineInfo, analyse
from barrierlab.checker.runtime.capabilities import FULL, Capabilities, construct
from barrierlab.checker.runtime.footprint import (
    CALL,
    EMPTY,
    RETURN,
    TRACE,
    Footprint,
    LineRecord,
    Objects,
    attribute_is_plain,
    plain_value,
)
from barrierlab.checker.runtime.primitives import ControlledLock, Pending, VirtualClock
from barrierlab.checker.scenario import ActionFailed, Scenario, Step
from barrierlab.checker.schedulers.base import (
    Choice,
    ReportsQuiet,
    Scheduler,
    encode_choice,
)
from barrierlab.model.errors import RunConflict, TargetError
from barrierlab.model.events import ActionEnd, ActionStart, Call, Event, Raise, Return

__all__ = ["Abandoned", "Run", "RunResult", "TargetExit", "active_run", "leave_breadcrumbs"]

_real_lock = _thread.allocate_lock
_real_monotonic = time.monotonic
_get_ident = _thread.get_ident

_ACTIVE: Run | None = None
#: Where runs leave their breadcrumb, in a supervised worker process (see breadcrumb.py).
_BREADCRUMB: Breadcrumb | None = None
TraceFunction: TypeAlias = Callable[[FrameType, str, object], "TraceFunction | None"]


def leave_breadcrumbs(breadcrumb: Breadcrumb | None) -> None:
    """Have every run of this process record itself in ``breadcrumb`` (None: stop)."""
    global _BREADCRUMB
    _BREADCRUMB = breadcrumb


def active_run() -> Run | None:
    """The run in progress, if any."""
    return _ACTIVE


class Abandoned(BaseException):
    """Unwinds a worker whose run has ended (deadlock, step bound, watchdog)."""


class TargetExit(BaseException):
    """What ``os._exit(code)`` raises on a thread of a run: the target tried to end the
    process. The thread stops there (a crash with ``RunResult.exit_code``); the check goes on."""

    def __init__(self, code: int) -> None:
        super().__init__(f"the target called os._exit({code})")
        self.code = code


@dataclass
class RunResult:
    """What one schedule produced."""

    trace: tuple[Event, ...]
    choices: tuple[Choice, ...]
    outcome: RunOutcome
    steps: int
    blocked: tuple[str, ...] = ()  # one line per blocked worker (deadlock) or the stuck one
    wait_for: tuple[tuple[int, int], ...] = ()  # (waiter tid, holder tid) edges
    crash: str | None = None  # traceback of the first unexpected exception
    crash_tid: int | None = None
    #: The code the target passed to ``os._exit``, if it tried to end the process.
    exit_code: int | None = None
    #: The step each unfinished worker was waiting to take when the run ended.
    pending: tuple[Choice, ...] = field(default=())
    #: The rule a crash breaks, when it is not R-ERROR-TYPE (asyncio: a swallowed cancel).
    crash_rule: str | None = None
    #: A construction scenario's barrier refused its ``parties``: the exception's type name
    #: (then no thread ran). None: the barrier was built.
    refused: str | None = None
    #: asyncio: the points (lengths of ``trace``) where every unfinished task was suspended
    #: and only a cancellation from outside could move the run on. The run went on (the
    #: cancellation is explored), but a program that nobody cancels hangs there, so the judge
    #: takes each point as an end of the run too.
    hangs: tuple[int, ...] = ()
    #: The step from which the run went on under a fair schedule, not the scheduler's (it
    #: reached the step bound there, having passed over a thread that could step), or None.
    fair_from: int | None = None

    @property
    def finished(self) -> bool:
        """True if the run went as far as it could (no bound or watchdog cut it short)."""
        return self.outcome in (RunOutcome.COMPLETE, RunOutcome.DEADLOCK, RunOutcome.STALLED)

    @property
    def cut_short(self) -> bool:
        """True if the scheduler did not choose every step of a finished run (what a
        scheduler's :meth:`~barrierlab.checker.schedulers.base.Scheduler.finish` is told):
        the run stopped early, or went on under a fair schedule past the step bound."""
        return not self.finished or self.fair_from is not None


class _Worker:
    __slots__ = (
        "active",
        "baton",
        "cached",
        "done",
        "gate",
        "ident",
        "lease",
        "pending",
        "polled",
        "program",
        "records",
        "run",
        "tid",
        "timed_out",
        "untraced",
        "yielding",
    )

    def __init__(self, tid: int, program: tuple[Step, ...]) -> None:
        self.tid = tid
        self.program = program
        self.baton = _real_lock()
        self.baton.acquire()
        self.done = not program
        self.pending: Pending | None = None if self.done else Pending(None, program[0].op)
        self.timed_out = False
        self.yielding = False  # its pending step is a yield (sleep, sched_yield)
        #: The threads it yielded to that have not taken a step since (fairness).
        self.gate: set[int] = set()
        #: The trace's length when it last timed out (None: never): a timeout with no event
        #: since is a poll, which yields (see Run._polls).
        self.polled: int | None = None
        self.ident: int | None = None
        self.lease: workers.Lease | None = None
        # With footprints: the line each traced frame is running, and the records of the
        # frames on the stack at the worker's last scheduling point (outermost first).
        self.records: dict[Any, LineRecord] = {}
        self.active: list[LineRecord] = []
        #: Inside a barrier method whose code is not traced (see _footprint).
        self.untraced = False
        #: The footprint of ``pending`` as last resolved, while no step since could have
        #: changed it (see Run._forget_footprints).
        self.cached: tuple[Pending, Footprint] | None = None
        self.run: Run | None = None


class Run:
    """One schedule of one scenario against one barrier factory.

    ``factory`` is called as ``factory(parties, action=..., timeout=...)`` under control;
    ``config`` gives the step bound and the watchdog; ``traced_files`` are the source files
    whose lines are scheduling points.
    """

    def __init__(
        self,
        factory: Callable[..., Any],
        scenario: Scenario,
        scheduler: Scheduler,
        config: Config,
        *,
        traced_files: frozenset[str] = frozenset(),
        capabilities: Capabilities = FULL,
    ) -> None:
        self.factory = factory
        self.capabilities = capabilities
        self.scenario = scenario
        self.scheduler = scheduler
        #: The scheduler's hook for steps that read no time (see _switch), if it has one.
        self._quiet = scheduler.quiet if isinstance(scheduler, ReportsQuiet) else None
        self._chosen_step = False  # the step running now is one the scheduler chose
        self.traced_files = traced_files
        self.step_bound = config.step_bound
        self.watchdog = config.watchdog
        self._timeless_since = 0  # the step at which virtual time last passed (or, fair, progress)
        #: The step from which the run went on under a fair schedule (see _fair_choice).
        self.fair_from: int | None = None
        self._fair_last = -1  # the thread the fair schedule chose last
        self._progress = (0, 0)  # events recorded, threads finished: when last looked
        #: Threads that could step and have not been chosen since (see _note_passed_over).
        self._passed_over: set[int] = set()
        self._events_at_poll = -1  # the trace's length when the last timeout ended (_wake)
        # Poll rounds (see _stalled): who timed out and who stepped since the round began,
        # the trace's length then, and how many rounds in a row went by with nothing new.
        self._round_woken: set[int] = set()
        self._round_stepped: set[int] = set()
        self._round_events = 0
        self._idle_rounds = 0
        #: The virtual time each thread first read the clock in its barrier call in progress.
        self._first_read: dict[int, float] = {}
        self._step_cap = _STEP_CAP_FACTOR * config.step_bound
        self.clock = VirtualClock()
        self.trace: list[Event] = []
        self.choices: list[Choice] = []
        self.steps = 0
        self.abandoning = False
        self.crash: str | None = None
        self.crash_tid: int | None = None
        self.exit_code: int | None = None
        self._objects = 0
        self._workers = [_Worker(i, p) for i, p in enumerate(scenario.programs)]
        for w in self._workers:
            w.run = self
        self._suspended = False  # True while the pool grows for a spawned thread
        self._by_ident: dict[int, _Worker] = {}
        self._blocking_on: dict[int, ControlledLock] = {}
        self._current: _Worker | None = None
        self._constructing: int | None = None  # ident of the thread building the barrier
        self._end = _real_lock()
        self._end.acquire()
        self._outcome = RunOutcome.COMPLETE
        self._action_calls = 0
        self.barrier: Any = None
        #: Steps carry footprints (see :mod:`~barrierlab.checker.runtime.footprint`).
        self.footprints = config.footprints
        self.footprint_objects = Objects()
        #: What each step taken so far wrote (its footprint's writes; None: anything).
        self.footprint_log: list[frozenset[Any] | None] = []
        self._refused: str | None = None
        #: Called once the run has unwound, last added first (a patch undoing what it lent
        #: the run, see :mod:`~barrierlab.checker.runtime.pools`).
        self.at_end: list[Callable[[], None]] = []

    # -- used by controlled primitives and patches -----------------------------------------

    def new_object_number(self) -> int:
        self._objects += 1
        return self._objects

    def in_control(self) -> bool:
        """True on a worker of this run, or while the barrier is being constructed."""
        if self._suspended:
            return False
        ident = _get_ident()
        return ident in self._by_ident or ident == self._constructing

    def read_clock(self) -> float:
        """The virtual time, read by the target (``time.monotonic``, ``time.time``)."""
        tid = self.current_tid()
        if tid is not None:
            self._first_read.setdefault(tid, self.clock.now)
        return self.clock.now

    def current_tid(self) -> int | None:
        worker = self._by_ident.get(_get_ident())
        return None if worker is None else worker.tid

    def schedule_point(self, pending: Pending, blocking_on: ControlledLock | None = None) -> bool:
        """Hand control to the scheduler before ``pending`` happens; True if it timed out."""
        worker = self._by_ident.get(_get_ident())
        if worker is None:
            return self._outside_point(pending)
        if self.abandoning:
            raise Abandoned
        worker.pending = pending
        if self.footprints:
            self._note_active(worker)
        if blocking_on is not None:
            self._blocking_on[worker.tid] = blocking_on
        self._switch(worker)
        if self.abandoning:
            raise Abandoned
        self._blocking_on.pop(worker.tid, None)
        worker.pending = None
        timed_out, worker.timed_out = worker.timed_out, False
        return timed_out

    def _note_active(self, worker: _Worker) -> None:
        """Remember the lines in progress in ``worker``'s traced frames: the rest of each may
        run in its next step."""
        records = worker.records
        active = []
        if records:
            frame: FrameType | None = sys._getframe(2)
            while frame is not None:
                record = records.get(frame)
                if record is not None:
                    active.append(record)
                frame = frame.f_back
        worker.active = active

    def _footprint(self, w: _Worker, pending: Pending) -> Footprint | None:
        """What ``w``'s pending step may touch, as things are now (None: anything)."""
        cached = w.cached
        if cached is not None and cached[0] is pending:
            return cached[1]
        footprint = self._resolve_footprint(w, pending)
        w.cached = None if footprint is None else (pending, footprint)
        return footprint

    def _forget_footprints(self, step: Choice) -> None:
        """After ``step`` is chosen: drop the remembered footprints it may change.

        A footprint is resolved through paths (``self._round.turnstile``), and every attribute,
        global or container a path goes through is among its keys. A step that writes none of
        a footprint's keys (and runs no untraced code) leaves every path leading where it did,
        so the footprint stands; the thread's own locals change only when it runs itself.
        """
        written = step.footprint
        # A cell store may change where a closure's paths lead, in any thread.
        everything = step.timeout or written is None or written.untraced or written.cell_stores
        self.footprint_log.append(None if everything or written is None else written.writes)
        for w in self._workers:
            cached = w.cached
            if cached is None:
                continue
            if everything or w.tid == step.tid:
                w.cached = None
                continue
            assert written is not None  # invariant: else everything
            mine = cached[1]
            if written.writes and not (
                written.writes.isdisjoint(mine.reads) and written.writes.isdisjoint(mine.writes)
            ):
                w.cached = None

    def _resolve_footprint(self, w: _Worker, pending: Pending) -> Footprint | None:
        footprint = pending.footprint
        if footprint is not None and w.untraced:
            footprint = footprint | _UNTRACED
        for record in w.active:
            if footprint is None:
                return None
            more = record.footprint(self)
            footprint = None if more is None else footprint | more
        return footprint

    def _choice(self, w: _Worker, timeout: bool = False) -> Choice:
        p = w.pending
        assert p is not None  # invariant: only a worker with a pending step is offered
        can_time_out = p.deadline is not None
        if timeout:
            return Choice(w.tid, True, p.obj, p.access)  # see _timeout for a described one
        if not self.footprints:
            return Choice(w.tid, False, p.obj, p.access, can_time_out)
        if not w.program:
            # A thread the target started runs untraced code (Thread.run) around its own:
            # its steps are of unknown footprint, dependent with every step.
            return Choice(w.tid, False, None, p.access, can_time_out)
        footprint = self._footprint(w, p)
        obj = None if footprint is None else p.obj
        return Choice(w.tid, False, obj, p.access, can_time_out, footprint)

    def safe_callable(self, f: Any) -> bool:
        """For footprints: calling ``f`` from target code touches nothing shared before its
        own scheduling points (the scenario's action, the controlled clock and factories)."""
        if getattr(f, "__self__", None) is self and getattr(f, "__func__", None) is Run._action:
            return True
        return getattr(f, "__module__", None) == _PATCHING and getattr(f, "__name__", "") in (
            "_monotonic",
            "_time",
            "_sleep",
            "_lock",
            "_rlock",
        )

    def _traced_method(self, op: str) -> bool:
        method = getattr(type(self.barrier), op, None)
        code = getattr(getattr(method, "__func__", method), "__code__", None)
        return code is not None and code.co_filename in self.traced_files

    def _step_pending(self, step: Step) -> Pending:
        """The scheduling point before a program step. With footprints, a call of ``wait``,
        ``reset`` or ``abort`` only records its call event before the target's first line or
        primitive operation. Reading an attribute reads it (a plain attribute, or a property
        whose code is traced); anything else may run untraced code that reads anything."""
        if not self.footprints:
            return Pending(None, step.op)
        if step.op in ("wait", "reset", "abort"):
            untraced = not self._traced_method(step.op)
            return Pending(None, step.op, footprint=CALL | _UNTRACED if untraced else CALL)
        if attribute_is_plain(self.barrier, step.op, self.traced_files):
            key = ("a", self.footprint_objects.number(self.barrier), step.op)
            return Pending(None, step.op, footprint=CALL | Footprint(frozenset({key})))
        return Pending(None, step.op)

    def sleep(self, seconds: float, what: str = "sleep") -> None:
        """``time.sleep`` (or ``os.sched_yield``, ``what``) on a worker: a yield, blocked until
        virtual time reaches the deadline."""
        worker = self._by_ident.get(_get_ident())
        if worker is not None:
            worker.yielding = True
        try:
            # A zero sleep (or sched_yield) lasts one quantum of virtual time, so that polling
            # with it is seen to let time pass, as any other poll (see _wake and _stalled).
            access = f"{what}({seconds:g})" if what == "sleep" else what
            deadline = self.clock.now + max(seconds, _QUANTUM)
            self.schedule_point(Pending(None, access, _never, deadline))
        finally:
            if worker is not None:
                worker.yielding = False

    def _outside_point(self, pending: Pending) -> bool:
        if _get_ident() == self._constructing:
            if pending.can_run():
                return False
            raise TargetError("the barrier's constructor blocked on a lock")
        raise RunConflict(
            "a barrierlab-controlled primitive was used by a thread outside its run: did the "
            "target start threads of its own, or keep a lock past a run? Run the target's "
            "threads only as barrierlab scenarios, and nothing else threaded in this process "
            "while a check runs"
        )

    # -- threads the target starts (see barrierlab.checker.runtime.spawned) ------------------

    def spawn(self, thread: threading.Thread) -> _Worker:
        """Make ``thread``'s ``run()`` one more worker of this run; return the worker."""
        w = _Worker(len(self._workers), ())
        w.run = self
        w.done = False
        w.pending = Pending(None, f"start t{w.tid}")
        self._suspended = True  # the pool may start an OS thread: not one of the target's
        try:
            w.lease = workers.start(partial(self._spawned_main, w, thread))
        finally:
            self._suspended = False
        w.ident = w.lease.ident
        self._by_ident[w.ident] = w
        self._workers.append(w)
        return w

    def join(self, worker: _Worker, timeout: float | None) -> None:
        """``Thread.join`` of a spawned thread: blocks (a scheduling point) until it is done."""
        deadline = None
        if timeout is not None:
            deadline = self.clock.now + max(0.0, timeout)
        self.schedule_point(Pending(None, f"join t{worker.tid}", lambda: worker.done, deadline))

    def _spawned_main(self, w: _Worker, thread: threading.Thread) -> None:
        w.baton.acquire()
        if self.abandoning:
            return
        if self.traced_files:
            sys.settrace(self._tracer)
        try:
            thread.run()
        except Abandoned:
            return
        except BaseException:  # a thread the target started died of an exception
            self._record_crash(w.tid)
        finally:
            sys.settrace(None)
        w.done = True
        w.pending = None
        if not self.abandoning:
            self._switch(w)

    # -- scheduling ------------------------------------------------------------------------

    def options(self) -> list[Choice]:
        """The steps that could happen next, sorted by thread."""
        runnable: list[Choice] = []
        timed: list[tuple[float, _Worker, Pending]] = []
        for w in self._workers:
            p = w.pending
            if p is None:
                continue
            if p.enabled is None or p.enabled():
                runnable.append(self._choice(w))
            elif p.deadline is not None:
                timed.append((p.deadline, w, p))
        # Fairness: a worker that yielded is held back (its yields are not offered) while a
        # thread it yielded to can take a real step (one that is not a yield itself).
        stepping = {c.tid for c in runnable if not self._workers[c.tid].yielding}
        held = {w.tid for w in self._workers if w.gate & stepping}
        if held:
            runnable = [
                c for c in runnable if not (c.tid in held and self._workers[c.tid].yielding)
            ]
            timed = [(d, w, p) for d, w, p in timed if w.tid not in held]
        if timed:
            # Time passes in order: only the earliest deadline (or one already past) may expire.
            horizon = max(self.clock.peek(), min(d for d, _, _ in timed))
            for d, w, _ in timed:
                if d <= horizon:
                    runnable.append(self._timeout(w, held))
            runnable.sort(key=lambda c: (c.tid, c.timeout))
        return runnable

    def _timeout(self, w: _Worker, held: set[int]) -> Choice:
        """The option of ``w``'s blocked step timing out, described when it can be.

        A timeout moves the clock; it is offered while the step cannot run (for a lock
        acquire, while the lock is held), the thread is not held back, and no timed step that
        could hold it back is due earlier (time passes in order). Described (a footprint: see
        :class:`~barrierlab.checker.schedulers.base.Choice`) when that is all a step of
        another thread could change: the acquire is a lock's, the thread has no gate and
        sets none (it does not poll), and every earlier-due timed step of a thread not held
        back is an acquire (its lock is read: a step on that lock may make it due first).
        Anything else (a sleep, a join, a poll, a gate) is a timeout of unknown footprint.
        """
        p = w.pending
        assert p is not None and p.deadline is not None  # invariant: offered as a timeout
        plain = self._choice(w, timeout=True)
        if not self.footprints or p.obj is None or w.yielding or w.gate or self._polls(w):
            return plain
        locks = set()
        for other in self._workers:
            q = other.pending
            if other is w or q is None or q.deadline is None or q.deadline >= p.deadline:
                continue
            if q.obj is None or other.tid in held:
                return plain
            locks.add(("l", q.obj))
        return Choice(w.tid, True, p.obj, p.access, footprint=Footprint(frozenset(locks)))

    def _polls(self, w: _Worker) -> bool:
        """``w`` timed out before and nothing was recorded since: timing out again is a poll,
        a yield (the others go first after it)."""
        return w.polled is not None and w.polled == len(self.trace)

    def _switch(self, me: _Worker | None) -> None:
        """Pick the next step; hand the baton over unless it is ``me`` again."""
        if self._chosen_step:
            # The step the scheduler chose last has run: tell it if it read no time.
            self._chosen_step = False
            if self._quiet is not None and not self.clock.read:
                self._quiet()
        options = self.options()
        if not options:
            unfinished = any(not w.done for w in self._workers)
            self._finish(RunOutcome.DEADLOCK if unfinished else RunOutcome.COMPLETE, me)
            return
        if all(c.timeout for c in options) and self._stalled():
            self._finish(RunOutcome.STALLED, me)
            return
        if self.fair_from is not None:
            progress = (len(self.trace), sum(w.done for w in self._workers))
            if progress != self._progress:
                self._progress, self._timeless_since = progress, self.steps
        bound = self.steps - self._timeless_since >= self.step_bound
        self._note_passed_over(options)
        # No thread could step and was passed over since: fairness would change nothing.
        fair_already = not self._passed_over
        if self.steps >= self._step_cap or (bound and (fair_already or self.fair_from is not None)):
            self._finish(RunOutcome.LIVELOCK, me)
            return
        if self.fair_from is None and bound:
            # The scheduler's choices have run on and on (the step bound) while passing over
            # a thread that could step: a spin may be waiting for the thread it starves. Go
            # on under a fair schedule; a livelock is a run that makes no progress under it
            # either.
            self.fair_from = self._timeless_since = self.steps
            self._progress = (len(self.trace), sum(w.done for w in self._workers))
        if self.fair_from is not None:
            choice = self._fair_choice(options)
        else:
            choice = self.scheduler.choose(options)
            if choice not in options:
                raise RuntimeError(
                    f"scheduler {self.scheduler.name!r} chose {choice}, not an option"
                )
            self.choices.append(choice)
            self._chosen_step = True
            self.clock.read = False
            if _BREADCRUMB is not None:
                _BREADCRUMB.choice(encode_choice(choice))
        self.steps += 1
        self._round_stepped.add(choice.tid)
        if choice.timeout:
            self._round_woken.add(choice.tid)
        self._passed_over.discard(choice.tid)
        if self.footprints:
            self._forget_footprints(choice)
        chosen = self._workers[choice.tid]
        for w in self._workers:  # fairness: the chosen thread has had its turn
            w.gate.discard(choice.tid)
        if chosen.yielding or (choice.timeout and self._polls(chosen)):
            # a yield (a sleep, a timeout again with nothing new): the others go first
            chosen.gate = {c.tid for c in options if c.tid != choice.tid}
        if choice.timeout:
            chosen.polled = len(self.trace)
            # invariant: a timeout is offered only for a pending step with a deadline
            assert chosen.pending is not None and chosen.pending.deadline is not None
            when = self._wake(chosen)
            if when > self.clock.peek():
                self._timeless_since = self.steps
            self.clock.advance_to(when)
            chosen.timed_out = True
        self._current = chosen
        if chosen is me:
            return
        chosen.baton.release()
        if me is not None and not me.done:
            me.baton.acquire()

    def _note_passed_over(self, options: list[Choice]) -> None:
        """Note each thread that could step now, from the first step it could, until it is
        chosen. Not forgotten when it cannot step for a while (a lock it wants taken again
        by a spinning thread before its turn): fairness asks that a thread that can step
        again and again is chosen at last (strong fairness), not only one that always can."""
        self._passed_over.update(c.tid for c in options if not c.timeout)

    def _fair_choice(self, options: list[Choice]) -> Choice:
        """The first option of the next thread after the one chosen last: every thread in
        turn, a step (or, for a thread in a timed step, its timeout) each, as a fair
        scheduler would.

        Not a choice of the scheduler's, nor recorded in the token: a replay of the same
        choices goes fair at the same step, and goes on the same way.
        """
        after = [c for c in options if c.tid > self._fair_last]
        choice = (after or options)[0]
        self._fair_last = choice.tid
        return choice

    def _due(self) -> list[float]:
        """The deadlines still ahead of the scenario's waits in progress (from the trace).

        A wait's deadline is its timeout after the call, or after the thread first read the
        clock inside it if time passed in between: a target computes its deadline from the
        clock (``monotonic() + timeout``), and a deadline taken to be earlier than the one it
        keeps would leave its polls short of it, called stalled.
        """
        now = self.clock.peek()
        calls: dict[int, Call | None] = {}
        for e in self.trace:
            if isinstance(e, Call):
                calls[e.tid] = e if e.op == "wait" else None
            elif isinstance(e, (Return, Raise)):
                calls[e.tid] = None
        due = []
        for call in calls.values():
            if call is not None:
                timeout = call.timeout
                if timeout is None:
                    timeout = self.scenario.default_timeout
                if timeout is None:
                    continue
                start = max(call.time, self._first_read.get(call.tid, call.time))
                if start + timeout > now:
                    due.append(start + timeout)
        return due

    def _wake(self, chosen: _Worker) -> float:
        """The virtual time at which ``chosen``'s blocked step times out.

        A sleep that ends with no event since the last timeout ended (a poll that found
        nothing) may end later, as an OS may let it: at the next deadline of a wait in
        progress, the only time a poller can be waiting for. So a poller reaches its own
        deadline in a few polls, not thousands.
        """
        # invariant: a timeout is offered only for a pending step with a deadline
        assert chosen.pending is not None and chosen.pending.deadline is not None
        deadline: float = chosen.pending.deadline
        idle = len(self.trace) == self._events_at_poll
        self._events_at_poll = len(self.trace)
        if idle and chosen.yielding:
            due = self._due()
            if due:
                return max(deadline, min(due))
        return deadline

    def _stalled(self) -> bool:
        """Only time could move anyone (asked when every option is a timeout), no wait of the
        scenario has a deadline ahead, and the threads have polled round after round with
        nothing new.

        A *round* is over when every thread in a timed step (a sleep, a timed wait) has timed
        out, looked, and is back in a timed step. It is idle if the trace did not grow and
        every thread that stepped in it is back in a timed step: one that stepped and is now
        blocked for good or finished may have changed what the others look at, and an event
        is progress. Idle rounds are counted only in a row, from the last thing that
        happened, so every poller has looked again since then: a count of idle polls kept
        across another thread's progress once ended runs with a released thread still
        polling. (A poller's own steps are taken to look, not to change anything.)
        """
        timed = {
            w.tid
            for w in self._workers
            if not w.done and w.pending is not None and w.pending.deadline is not None
        }
        if len(self.trace) != self._round_events or not self._round_stepped <= timed:
            self._round_events = len(self.trace)
            self._idle_rounds = 0
            self._round_woken.clear()
            self._round_stepped.clear()
            return False
        if timed <= self._round_woken:
            self._idle_rounds += 1
            self._round_woken.clear()
            self._round_stepped.clear()
        return self._idle_rounds >= _IDLE_ROUNDS and not self._due()

    def _finish(self, outcome: RunOutcome, me: _Worker | None) -> None:
        self._outcome = outcome
        self._current = None
        self._end.release()
        if me is not None and not me.done:
            me.baton.acquire()  # woken only to be unwound

    # -- the workers -----------------------------------------------------------------------

    def _worker_main(self, w: _Worker) -> None:
        w.baton.acquire()
        if self.abandoning:
            return
        if self.traced_files:
            sys.settrace(self._tracer)
        try:
            for i, step in enumerate(w.program):
                if i:
                    self.schedule_point(self._step_pending(step))
                self._perform(w.tid, step)
        except Abandoned:
            return
        except BaseException:  # an exception outside any barrier call: a crash
            if self.abandoning:
                # The run was given up while this thread was inside the target, and the
                # target's own cleanup turned Abandoned into another error (a ``with lock:``
                # releasing a lock it never got back): unwinding, not a crash.
                return
            self._record_crash(w.tid)
        finally:
            sys.settrace(None)
        w.done = True
        w.pending = None
        if not self.abandoning:
            self._switch(w)

    def _perform(self, tid: int, step: Step) -> None:
        record = self.trace.append
        barrier = self.barrier
        op = step.op
        self._first_read.pop(tid, None)
        # With footprints, recording the outcome is a step of its own (the step that ends the
        # call does not know it will), dependent with every other step that records.
        outcome = self._outcome_point if self.footprints else _nothing
        record(Call(tid, op, step.timeout, self.clock.now))
        worker = self._workers[tid]
        worker.untraced = op in ("wait", "reset", "abort") and not self._traced_method(op)
        try:
            if op == "wait":
                value = barrier.wait() if step.timeout is None else barrier.wait(step.timeout)
            elif op in ("reset", "abort"):
                getattr(barrier, op)()
                value = None
            else:
                value = getattr(barrier, op)
        except Abandoned:
            raise
        except self.capabilities.error:
            outcome()
            record(Raise(tid, op, "BrokenBarrierError", self.clock.now))
        except ActionFailed:
            outcome()
            record(Raise(tid, op, "ActionFailed", self.clock.now))
        except BaseException as error:
            outcome()
            record(Raise(tid, op, type(error).__name__, self.clock.now))
            raise  # a crash: this thread stops (see _worker_main); the others go on
        else:
            outcome()
            record(Return(tid, op, value, self.clock.now))

    def _outcome_point(self) -> None:
        worker = self._by_ident.get(_get_ident())
        if worker is not None:
            worker.untraced = False  # the barrier call is over
        if self.footprints and not self.abandoning:
            self.schedule_point(Pending(None, "return", footprint=RETURN))

    def _record_crash(self, tid: int) -> None:
        if self.crash is None:
            self.crash = traceback.format_exc()
            self.crash_tid = tid
            error = sys.exc_info()[1]
            if isinstance(error, TargetExit):
                self.exit_code = error.code

    def _action(self) -> None:
        """The scenario's action, as the barrier sees it: recorded, and failing on request."""
        tid = self.current_tid()
        assert tid is not None  # invariant: the barrier runs the action on one of our workers
        if self.footprints:  # recording the start is a step of its own, as the outcome is
            self.schedule_point(Pending(None, "action start", footprint=TRACE))
        self._action_calls += 1
        self.trace.append(ActionStart(tid, self.clock.now))
        self.schedule_point(Pending(None, "action", footprint=TRACE if self.footprints else None))
        if self._action_calls in self.scenario.action_raises_on:
            self.trace.append(ActionEnd(tid, "ActionFailed", self.clock.now))
            raise ActionFailed(f"the scenario's action fails on call {self._action_calls}")
        self.trace.append(ActionEnd(tid, None, self.clock.now))

    def _tracer(self, frame: FrameType, event: str, arg: object) -> TraceFunction | None:
        if event == "call" and frame.f_code.co_filename in self.traced_files:
            return self._line_tracer
        return None

    def _line_tracer(self, frame: FrameType, event: str, arg: object) -> TraceFunction | None:
        if event == "line":
            try:
                if self.footprints:
                    worker = self._by_ident.get(_get_ident())
                    if worker is not None:
                        info = analyse(frame.f_code).get(frame.f_lineno, _UNKNOWN_LINE)
                        record = worker.records[frame] = LineRecord(info, frame, self)
                        if record.at_start is not None and not record.at_start:
                            return self._line_tracer  # touches nothing shared: no point
                    self.schedule_point(Pending(None, f"line {frame.f_lineno}", footprint=EMPTY))
                else:
                    self.schedule_point(Pending(None, f"line {frame.f_lineno}"))
            except Abandoned:
                # The run is over. Never raise from a trace function, nor into a traced frame:
                # CPython 3.11 then keeps this Run, and all it references, alive for good.
                # Stop tracing this thread instead (returning None would not: CPython keeps a
                # frame's tracer then); it runs on to its next controlled operation, which
                # raises, and _unwind interrupts a thread that never gets there.
                frame.f_trace = None
                sys.settrace(None)
                return None
        elif event == "return" and self.footprints:
            worker = self._by_ident.get(_get_ident())
            if worker is not None:
                worker.records.pop(frame, None)
                caller = worker.records.get(frame.f_back)
                if caller is not None and caller.info.uses_results and not plain_value(arg):
                    # The caller's line reads what this call returns, which may be shared:
                    # the rest of that line is a step of unknown footprint.
                    try:
                        self.schedule_point(Pending(None, "return value"))
                    except Abandoned:
                        frame.f_trace = None
                        sys.settrace(None)
                        return None
        return self._line_tracer

    # -- the controlling thread ------------------------------------------------------------

    def execute(self) -> RunResult:
        """Build the barrier, run the schedule to its end, unwind, and report."""
        global _ACTIVE
        if _ACTIVE is not None:  # before the try: the run in progress must stay active
            raise RunConflict(
                "only one barrierlab run at a time per process: are two checks running on "
                "threads of one process (a thread pool of more than one worker)? Run checks "
                "one after the other, or in processes (barrierlab.checker.explore.parallel)"
            )
        _ACTIVE = self
        if _BREADCRUMB is not None:
            _BREADCRUMB.start(self.scenario.to_json())
        try:
            self._construct()
            if self._refused is not None:
                return self._result()
            if self.footprints:
                for w in self._workers:
                    if w.lease is None and w.pending is not None:
                        w.pending = self._step_pending(w.program[0])
            for w in list(self._workers):
                if w.lease is not None:  # a thread the constructor started
                    continue
                w.lease = workers.start(partial(self._worker_main, w))
                w.ident = w.lease.ident
                self._by_ident[w.ident] = w
            self._switch(None)
            self._wait_for_end()
            return self._result()
        finally:
            self._unwind()
            while self.at_end:
                self.at_end.pop()()
            _ACTIVE = None

    def _construct(self) -> None:
        scenario = self.scenario
        self._constructing = _get_ident()
        try:
            self.barrier = construct(
                self.factory,
                scenario.parties,
                action=self._action if scenario.has_action else None,
                timeout=scenario.default_timeout,
                caps=self.capabilities,
            )
        except TargetError:
            raise
        except TargetExit as error:
            raise TargetError(
                f"the target ended the process (exit {error.code}) while it was being constructed"
            ) from None
        except Exception as error:
            if scenario.invalid_parties:  # refusing parties < 1 is an outcome, not a failure
                self._refused = type(error).__name__
                return
            raise TargetError(
                f"constructing the target as Name({scenario.parties}"
                f"{', action=...' if self.capabilities.action else ''}"
                f"{f', timeout={scenario.default_timeout!r}' if self.capabilities.timeout else ''}"
                f") raised {type(error).__name__}: {error}"
            ) from error
        finally:
            self._constructing = None
        if not callable(getattr(self.barrier, "wait", None)):
            raise TargetError(
                f"the target built a {type(self.barrier).__name__}, which is not barrier-like: "
                "no wait() method"
            )

    def _wait_for_end(self) -> None:
        last, idle_since = -1, _real_monotonic()
        while not self._end.acquire(True, 0.05):
            now = _real_monotonic()
            if self.steps != last:
                last, idle_since = self.steps, now
            elif now - idle_since > self.watchdog:
                self._outcome = RunOutcome.UNCONTROLLED
                self.abandoning = True
                return

    def _blocked_report(self) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
        lines, edges = [], []
        if self._outcome == RunOutcome.UNCONTROLLED:
            stuck = self._current
            if stuck is not None and stuck.ident is not None:
                frame = sys._current_frames().get(stuck.ident)
                where = ""
                if frame is not None:
                    where = " at " + traceback.format_stack(frame, limit=1)[0].strip()
                lines.append(
                    f"t{stuck.tid} made no scheduling step for {self.watchdog:g}s of real time: "
                    f"blocked or spinning outside barrierlab's control{where}"
                )
            return tuple(lines), ()
        for w in self._workers:
            if w.done or w.pending is None:
                continue
            lock = self._blocking_on.get(w.tid)
            if lock is not None and lock.holder is not None and lock.holder != w.tid:
                lines.append(
                    f"t{w.tid} waits to acquire lock #{lock.number} held by t{lock.holder}"
                )
                edges.append((w.tid, lock.holder))
            elif lock is not None:
                lines.append(f"t{w.tid} waits on lock #{lock.number} for a notify that never comes")
            elif self._outcome == RunOutcome.STALLED:
                lines.append(
                    f"t{w.tid} polls ({w.pending.access}) round after round with no event, and "
                    f"no timeout is due (virtual time {self.clock.peek():g}s): it waits for "
                    "something that never comes"
                )
            else:
                lines.append(f"t{w.tid} blocked at {w.pending.access}")
        return tuple(lines), tuple(edges)

    def _result(self) -> RunResult:
        blocked: tuple[str, ...] = ()
        edges: tuple[tuple[int, int], ...] = ()
        if self._outcome != RunOutcome.COMPLETE:
            blocked, edges = self._blocked_report()
        pending = tuple(
            self._choice(w) for w in self._workers if not w.done and w.pending is not None
        )
        return RunResult(
            pending=pending,
            trace=tuple(self.trace),
            choices=tuple(self.choices),
            outcome=self._outcome,
            steps=self.steps,
            blocked=blocked,
            wait_for=edges,
            crash=self.crash,
            crash_tid=self.crash_tid,
            exit_code=self.exit_code,
            refused=self._refused,
            fair_from=self.fair_from,
        )

    def _unwind(self) -> None:
        """Wake every unfinished worker so that it unwinds; never wait long for one.

        Each worker is woken and waited for in turn, so unwinding threads never run together.
        A worker that does not come back in time (it is blocked outside our control) is left
        behind, and its pooled thread retired.
        """
        self.abandoning = True
        for w in self._workers:
            if w.lease is None:
                continue
            stuck = w is self._current and self._outcome == RunOutcome.UNCONTROLLED
            if not w.done and not stuck:
                w.baton.release()
            if not stuck and not w.lease.wait(1.0):
                # Still running without reaching a controlled operation: a spin in plain code.
                # An exception raised so can land in a callback run on that thread (a weakref
                # or __del__ run by the garbage collector), which swallows it: ask again.
                for _ in range(_ABANDON_TRIES):
                    _raise_in_thread(w.lease.ident, Abandoned)
                    if w.lease.wait(1.0):
                        break
            if not w.lease.wait(0.1):
                w.lease.retire()


#: How many times a spinning worker is asked to unwind before its thread is given up.
_ABANDON_TRIES = 3


def _raise_in_thread(ident: int, exception: type[BaseException]) -> None:
    """Make thread ``ident`` raise ``exception`` at its next bytecode instruction."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception))


def _never() -> bool:
    return False


def _nothing() -> None:
    pass


_PATCHING = "barrierlab.checker.runtime.patching"
_UNKNOWN_LINE = LineInfo(True)
_UNTRACED = Footprint(untraced=True)


#: The virtual time a zero sleep or ``os.sched_yield`` lasts (see :meth:`Run.sleep`).
_QUANTUM = 1e-6
#: Rounds of polls in a row that find nothing new before a run ends as stalled.
_IDLE_ROUNDS = 3
#: A run ends as a livelock after this many times the step bound in all, time passing or not.
_STEP_CAP_FACTOR = 50


def options_summary(options: Sequence[Choice]) -> str:
    """A short text for a list of options (for messages)."""
    return ", ".join(f"t{c.tid}{' timeout' if c.timeout else ''} {c.access}" for c in options)
