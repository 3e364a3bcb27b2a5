"""The asyncio runtime: a scenario's programs as tasks on a :class:`VirtualLoop`, one step at a
time, in the order the scheduler picks.

How a run works
---------------

Each thread program of the scenario becomes one task (``t0``, ``t1``... as for threads). A
task's step is what asyncio runs between two suspensions: from an ``await`` that yields to the
loop to the next one. At every point where more than one thing could happen next, the run
lists the options and asks the scheduler (the same schedulers, tokens and replay as threads):

* ``Choice(tid)``: task ``tid`` takes its next step (it is in the loop's ready queue);
* ``Choice(n + k)`` (``n`` tasks; ``access="callback"``): the ``k``-th callback of the target's
  own code the run has seen in the ready queue runs (``loop.call_soon(self._release)``, a done
  callback bound to the barrier), when its source files are traced (``Config.line_level``):
  the analogue of line-level preemption, since a task already ready may run before it;
* ``Choice(tid, timeout=True)``: task ``tid`` is interrupted inside ``wait``, ``reset`` or
  ``abort``. If its program step is ``wait(t)``, run as ``async with asyncio.timeout(t):
  await barrier.wait()``, its deadline expires (the clock moves to it; only the earliest
  pending deadline, or one already past, may expire, so time never goes back). Otherwise the
  task is *cancelled* (``task.cancel()``), which a run does at most ``Config.cancellations``
  times (default 1): at any point while the task is inside the call, suspended or ready to
  resume. Those are all the points where a cancellation can land: a task runs without
  interruption from one suspension to the next, so every suspension inside the target's code
  is a cancellation point, and nothing between two of them is (see "Line-level" in the
  README's asyncio section).

The cancellation or expiry only requests the interruption: the task then raises
``CancelledError`` (or ``TimeoutError``) when it next runs, which is a step of its own, so what
other tasks do in between is explored too. The trace records it as the outcome of the call
(``Raise(tid, "wait", "CancelledError")``, ``Raise(tid, "reset", "CancelledError")``); the
``asyncio`` profile of the spec says what the barrier must look like afterwards. A task that
catches the CancelledError and continues goes on with its program (the run calls
``uncancel()`` for it).

Time is virtual: ``loop.time()``, ``asyncio.sleep``, ``asyncio.timeout`` and ``wait_for`` all
read the loop's clock, which moves only as described above, or to the earliest timer when
nothing else can run.

Where no task is ready, no deadline can expire and no timer is pending, only a cancellation
can move the run on: a program that nobody cancels hangs there. The run goes on (the
cancellation is explored) and records the point (``RunResult.hangs``); the judge takes it as an
end of the run too. Since 3.13 a cancelled ``asyncio.Condition.wait`` wakes another waiter, so
the cancellation may end a hang that a lost wake-up caused: judged by its end alone, such a run
would look fine.

The run ends when nothing can happen (``complete`` or ``deadlock``), at the step bound
(``livelock``), or when one step takes ``Config.watchdog`` real seconds (``uncontrolled``: the
target blocked the event loop with a real ``time.sleep``, a real lock or a busy loop, which no
scheduler can interrupt; the loop runs on a thread of its own so that the check goes on).

Crashes: a call that raises something other than ``BrokenBarrierError``, ``CancelledError``
after a cancellation or ``TimeoutError`` after an expiry; a ``CancelledError`` nobody asked
for; and a ``wait`` that returns normally though it was cancelled (it swallowed the
cancellation, rule ``A-CANCEL``).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.outcomes import RunOutcome
from barrierlab.checker.runtime.aio.loop import VirtualLoop
from barrierlab.checker.runtime.run import RunResult
from barrierlab.checker.scenario import Scenario, Step
from barrierlab.checker.schedulers.base import Choice, Scheduler
from barrierlab.model.events import BROKEN, Call, Event, Raise, Return

__all__ = ["AsyncRun"]

_real_monotonic = time.monotonic
#: The exceptions a barrier call may raise without being a crash.
_OUTCOMES = frozenset({BROKEN, "CancelledError", "TimeoutError"})
#: The calls a task may be cancelled in: those that can suspend (reads never do).
_CANCELLABLE = frozenset({"wait", "reset", "abort"})


class _Stop(BaseException):
    """Ends the driving thread of a run that was given up (watchdog)."""


class AsyncRun:
    """One schedule of one scenario against one asyncio barrier factory (``factory(parties)``)."""

    def __init__(
        self,
        factory: Callable[..., Any],
        scenario: Scenario,
        scheduler: Scheduler,
        config: Config,
        *,
        traced_files: frozenset[str] = frozenset(),
    ) -> None:
        self.factory = factory
        #: The target's own source files: its callbacks are scheduling choices (see above).
        self.traced_files = traced_files
        #: A number for each callback of the target's seen in the ready queue, in the order
        #: first seen: its choice is ``Choice(n_tasks + number)``, stable within the run.
        self.callback_ids: dict[int, int] = {}
        #: The handles numbered, kept alive so that no other handle ever takes their id.
        self.callbacks: dict[int, asyncio.Handle] = {}
        self.scenario = scenario
        self.scheduler = scheduler
        self.step_bound = config.step_bound
        self.watchdog = config.watchdog
        self.cancellations = config.cancellations
        self.loop = VirtualLoop()
        self.trace: list[Event] = []
        self.choices: list[Choice] = []
        self.steps = 0
        self.crash: str | None = None
        self.crash_tid: int | None = None
        self.crash_rule: str | None = None
        self.tasks: list[asyncio.Task[None]] = []
        n = scenario.n_threads
        #: The step each task is performing (None between steps and when done).
        self.doing: list[Step | None] = [None] * n
        #: Whether the current step of each task was interrupted (cancelled or timed out).
        self.interrupted = [False] * n
        self.running: int | None = None  # the task whose step is running
        self.given_up = False
        self.outcome = RunOutcome.COMPLETE
        self.pending: tuple[Choice, ...] = ()
        self.blocked: tuple[str, ...] = ()
        #: See ``RunResult.hangs``.
        self.hangs: list[int] = []

    # -- the task programs -----------------------------------------------------------------

    async def _program(self, tid: int, barrier: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        for step in self.scenario.programs[tid]:
            self.doing[tid] = step
            self.interrupted[tid] = False
            self.trace.append(Call(tid, step.op, step.timeout, self.loop.now))
            try:
                value = await self._perform(barrier, step)
            except GeneratorExit:  # the run is over: _end closes what is left
                raise
            except BaseException as error:  # CancelledError is one
                name = type(error).__name__
                if not self._expected(tid, step, name):
                    self._record_crash(tid)
                    self.doing[tid] = None
                    return
                if isinstance(error, asyncio.CancelledError):
                    task.uncancel()
                self.trace.append(Raise(tid, step.op, name, self.loop.now))
            else:
                if self.interrupted[tid] and step.timeout is None and task.cancelling():
                    task.uncancel()
                    self._record_crash(
                        tid,
                        f"t{tid}'s {step.op} was cancelled but returned {value!r}: the barrier "
                        "swallowed the CancelledError (a cancelled task must exit the barrier)",
                        "A-CANCEL",
                    )
                    self.doing[tid] = None
                    return
                self.trace.append(Return(tid, step.op, value, self.loop.now))
            self.doing[tid] = None

    @staticmethod
    async def _perform(barrier: Any, step: Step) -> Any:
        op = step.op
        if op == "wait":
            if step.timeout is None:
                return await barrier.wait()
            async with asyncio.timeout(step.timeout):
                return await barrier.wait()
        if op in ("reset", "abort"):
            result = getattr(barrier, op)()
            return await result if inspect.isawaitable(result) else result
        return getattr(barrier, op)

    def _expected(self, tid: int, step: Step, name: str) -> bool:
        if name == "CancelledError":
            return self.interrupted[tid] and step.timeout is None
        if name == "TimeoutError":
            return self.interrupted[tid] and step.timeout is not None
        return name == BROKEN and step.op == "wait"

    def _record_crash(self, tid: int, text: str | None = None, rule: str | None = None) -> None:
        if self.crash is None:
            self.crash = text if text is not None else traceback.format_exc()
            self.crash_tid = tid
            self.crash_rule = rule

    # -- scheduling ------------------------------------------------------------------------

    def _deadline_handle(self, tid: int) -> asyncio.Handle | None:
        """The pending expiry of task ``tid``'s ``asyncio.timeout()``, if any."""
        task = self.tasks[tid]
        for h in (*self.loop.ready(), *self.loop.timers()):
            owner = VirtualLoop.owner(h)
            if isinstance(owner, asyncio.Timeout) and getattr(owner, "_task", None) is task:
                return h
        return None

    def _classify(self) -> tuple[dict[int, asyncio.Handle], list[asyncio.Handle]]:
        """The first ready step of each task (and of each callback of the target's, numbered
        past the tasks), and the ready callbacks that are nobody's step."""
        ours = {id(t): tid for tid, t in enumerate(self.tasks)}
        steps: dict[int, asyncio.Handle] = {}
        internal = []
        for h in self.loop.ready():
            owner = VirtualLoop.owner(h)
            if id(owner) in ours and owner is self.tasks[ours[id(owner)]]:
                steps.setdefault(ours[id(owner)], h)
            elif isinstance(owner, asyncio.Timeout) and getattr(owner, "_task", None) in self.tasks:
                continue  # an expiry: only when chosen
            elif self._targets_own(h):
                number = self.callback_ids.setdefault(id(h), len(self.callback_ids))
                self.callbacks[number] = h
                steps[len(self.tasks) + number] = h
            else:
                internal.append(h)
        return steps, internal

    def _targets_own(self, handle: asyncio.Handle) -> bool:
        """Whether ``handle`` runs a function of the target's own source files."""
        if not self.traced_files:
            return False
        function = getattr(handle, "_callback", None)
        code = getattr(getattr(function, "__func__", function), "__code__", None)
        return code is not None and code.co_filename in self.traced_files

    def _options(self) -> tuple[list[Choice], dict[int, asyncio.Handle], dict[int, Any]]:
        while True:
            steps, internal = self._classify()
            if not internal:
                break
            for h in internal:
                self._tick()
                self.loop.run_handle(h)
        interrupts: dict[int, Any] = {}
        timed: dict[int, asyncio.Handle] = {}
        for tid, step in enumerate(self.doing):
            if step is None or step.op not in _CANCELLABLE or self.interrupted[tid]:
                continue
            if step.timeout is not None:
                deadline = self._deadline_handle(tid)
                if deadline is not None:
                    timed[tid] = deadline
            elif self.cancellations > 0 and not self.tasks[tid].done():
                interrupts[tid] = "cancel"
        if timed:
            when = {
                tid: (h.when() if isinstance(h, asyncio.TimerHandle) else 0.0)
                for tid, h in timed.items()
            }
            horizon = max(self.loop.now, min(when.values()))
            interrupts.update({tid: h for tid, h in timed.items() if when[tid] <= horizon})
        options = []
        for tid in range(len(self.tasks)):
            if tid in steps:
                options.append(Choice(tid, False, None, "step"))
            if tid in interrupts:
                kind = "cancel" if interrupts[tid] == "cancel" else "timeout"
                options.append(Choice(tid, True, None, kind))
        options += [
            Choice(k, False, None, "callback") for k in sorted(steps) if k >= len(self.tasks)
        ]
        return options, steps, interrupts

    def _hung(
        self, options: list[Choice], steps: dict[int, asyncio.Handle], interrupts: dict[int, Any]
    ) -> bool:
        """True if nothing but a cancellation can happen next: no task is ready, no deadline
        can expire and no timer is pending. Without someone cancelling, the program hangs
        here; the run goes on (the cancellation is a choice), and records the point."""
        if not options or steps or self.loop.timers():
            return False
        if any(kind != "cancel" for kind in interrupts.values()):
            return False
        return not self.hangs or self.hangs[-1] != len(self.trace)

    def _tick(self) -> None:
        if self.given_up:
            raise _Stop
        self.steps += 1

    def _drive(self) -> None:
        loop = self.loop
        asyncio.events._set_running_loop(loop)
        try:
            barrier = self.factory(self.scenario.parties)
            self.tasks = [
                loop.create_task(self._program(tid, barrier), name=f"t{tid}")
                for tid in range(self.scenario.n_threads)
            ]
            while True:
                options, steps, interrupts = self._options()
                if self._hung(options, steps, interrupts):
                    self.hangs.append(len(self.trace))
                if not options:
                    if loop.fire_next_timer():
                        continue
                    break
                if self.steps >= self.step_bound:
                    self.outcome = RunOutcome.LIVELOCK
                    break
                self._tick()
                choice = self.scheduler.choose(options)
                if choice not in options:
                    raise RuntimeError(
                        f"scheduler {self.scheduler.name!r} chose {choice}, not an option"
                    )
                self.choices.append(choice)
                tid = choice.tid
                self.running = tid if tid < len(self.tasks) else None
                if not choice.timeout:
                    loop.run_handle(steps[tid])
                elif interrupts[tid] == "cancel":
                    self.interrupted[tid] = True
                    self.cancellations -= 1
                    self.tasks[tid].cancel()
                else:
                    self.interrupted[tid] = True
                    loop.run_handle(interrupts[tid])
                self.running = None
            self._end()
        except _Stop:  # given up by the watchdog, and back at last: clean up quietly
            self._close_tasks()
        except BaseException:
            self._record_crash(self.running if self.running is not None else 0)
            self._end()
        finally:
            asyncio.events._set_running_loop(None)
            if not loop.is_closed():
                loop.close()

    def _end(self) -> None:
        unfinished = [tid for tid, t in enumerate(self.tasks) if not t.done()]
        if unfinished and self.outcome == RunOutcome.COMPLETE:
            self.outcome = RunOutcome.DEADLOCK
        self.pending = tuple(Choice(tid) for tid in unfinished)
        self.blocked = tuple(
            f"t{tid} blocked in {self.doing[tid] or 'its program'} for good" for tid in unfinished
        )
        self._close_tasks()

    def _close_tasks(self) -> None:
        for task in self.tasks:  # close what is left, inside the loop, quietly
            if not task.done():
                task._log_destroy_pending = False  # type: ignore[attr-defined]
                with contextlib.suppress(BaseException):  # a target awaiting in a finally
                    task.get_coro().close()

    def execute(self) -> RunResult:
        """Run the schedule on a thread of its own, under the watchdog; return what it did."""
        finished = threading.Event()

        def main() -> None:
            try:
                self._drive()
            finally:
                finished.set()

        thread = threading.Thread(target=main, name="barrierlab-asyncio", daemon=True)
        thread.start()
        seen = -1
        while not finished.wait(self.watchdog):
            if self.steps == seen:
                self.given_up = True
                self.outcome = RunOutcome.UNCONTROLLED
                who = self.running
                doing = self.doing[who] if who is not None else None
                self.blocked = (
                    f"t{who} blocked the event loop for {self.watchdog:g} s inside {doing}: a "
                    "real time.sleep, lock or loop with no await (barrierlab controls only what "
                    "goes through the event loop)",
                )
                self.pending = ()
                break
            seen = self.steps
        else:
            thread.join()
        return RunResult(
            trace=tuple(self.trace),
            choices=tuple(self.choices),
            outcome=self.outcome,
            steps=self.steps,
            blocked=self.blocked,
            crash=self.crash,
            crash_tid=self.crash_tid,
            pending=self.pending,
            crash_rule=self.crash_rule,
            hangs=tuple(self.hangs),
        )
