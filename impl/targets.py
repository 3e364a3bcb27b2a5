"""The bundled targets: every barrier barrierlab ships, with what a checker should say about it.

Plain data, no imports of the targets themselves (loading is the checker's job). Each entry is
a :class:`TargetInfo`:

* ``spec``: the import string a checker loads (``"barrierlab.impl.bugs.NAME:Barrier"``,
  or ``"threading:Barrier"`` for CPython's own);
* ``kind``: ``"correct"`` or ``"bug"``;
* ``expected``: for a bug, the rule ID (see :mod:`barrierlab.model.rules`) or verdict kind
  (``"deadlock"``, ``"livelock"``, ``"crash"``) a checker should report first; ``also``: the
  neighbouring ones it may report instead (a deadlock of a full generation is both
  ``R-RELEASE-ALL`` and ``deadlock``). None and ``()`` for correct targets;
* ``scenario``: for a bug, the smallest scenario that shows it, in the format of
  :meth:`barrierlab.checker.scenario.Scenario.to_json` without the name; for a correct
  alternative that breaks a ``cpython``-profile rule observably, a scenario that shows that;
* ``needs_line_level``: the bug hides between plain statements, so only line-level preemption
  finds it; ``needs_virtual_time``: it involves a timeout, so the checker must let timeouts
  expire (and race them against arrivals);
* ``outside_catalogue``: the bug needs a scenario the built-in catalogue does not hold, so
  only a check that goes on into generated scenarios (synthesis) finds it;
* ``cpython_differs``: for a correct target, the ``cpython``-profile rules it breaks in a way a
  trace can show (its docstring also names differences the traces cannot show);
* ``notes``: one line for humans.

>>> TARGETS["reference"].kind, TARGETS["reference"].expected
('correct', None)
>>> TARGETS["notify_one_release"].spec
'barrierlab.impl.bugs.notify_one_release:Barrier'
>>> sorted({t.kind for t in TARGETS.values()})
['bug', 'correct']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = ["BUGS", "CORRECT", "REFUSED", "SHAPES", "TARGETS", "VERDICT_KINDS", "TargetInfo"]

#: What a checker may report besides a rule ID.
VERDICT_KINDS: Final = ("deadlock", "livelock", "uncontrolled", "crash", "stalled", "exit")


@dataclass(frozen=True)
class TargetInfo:
    """One bundled target and what a checker should find (see the module docstring)."""

    name: str
    spec: str
    kind: str
    expected: str | None
    scenario: dict[str, Any] | None
    needs_line_level: bool = False
    needs_virtual_time: bool = False
    notes: str = ""
    also: tuple[str, ...] = ()
    cpython_differs: tuple[str, ...] = ()
    outside_catalogue: bool = False
    #: It ends the process for real (``os.abort()``): only a supervised check survives it.
    ends_process: bool = False


def _scenario(
    parties: int, threads: list[str], timeout: float | None = None, action: str = "none"
) -> dict[str, Any]:
    return {"parties": parties, "threads": threads, "timeout": timeout, "action": action}


def _correct(name, spec, notes, differs=(), scenario=None) -> TargetInfo:
    return TargetInfo(name, spec, "correct", None, scenario, notes=notes, cpython_differs=differs)


def _bug(name, expected, also, scenario, notes, *, line=False, vt=False, outside=False):
    spec = f"barrierlab.impl.bugs.{name}:Barrier"
    return TargetInfo(
        name, spec, "bug", expected, scenario, line, vt, notes, also, outside_catalogue=outside
    )


CORRECT: Final[tuple[TargetInfo, ...]] = (
    _correct("threading", "threading:Barrier", "CPython's own barrier, whatever Python runs"),
    _correct(
        "reference",
        "barrierlab.impl.reference:Barrier",
        "CPython's observable behaviour, written to be read",
    ),
    _correct(
        "generations",
        "barrierlab.impl.generations:Barrier",
        "generation objects as in java.util.concurrent.CyclicBarrier; indices count down (a "
        "trace shows it once the action tells who arrived last)",
        ("C-INDEX-ORDER",),
        _scenario(2, ["wait", "wait"], action="ok"),
    ),
    _correct(
        "event_per_generation",
        "barrierlab.impl.event_per_generation:Barrier",
        "a lock plus one Event per generation, waited on outside the lock; no drain gate "
        "(a difference from CPython that traces cannot show)",
    ),
    _correct(
        "turnstile",
        "barrierlab.impl.turnstile:Barrier",
        "semaphores only: a per-round turnstile and a door for the drain; reset starts a new "
        "round at once (a difference from CPython that traces cannot show)",
    ),
    _correct(
        "leader",
        "barrierlab.impl.leader:Barrier",
        "the first arrival leads: it runs the action once the generation is full. Traces show "
        "first that the action's runner returns 0 (C-INDEX-ORDER); C-ACTION-LAST itself when an "
        "observer proves who arrived first: parties=2, threads=['wait', 'n_waiting wait'], "
        "action=raise@1, with n_waiting reading 1; C-RESET-DRAIN when a reset comes between the "
        "last arrival and the leader's decision",
        ("C-INDEX-ORDER", "C-ACTION-LAST", "C-RESET-DRAIN"),
        _scenario(2, ["wait", "wait"], action="ok"),
    ),
    _correct(
        "sense_reversing",
        "barrierlab.impl.sense_reversing:Barrier",
        "one shared sense bit, with a drain gate and a reset count against ABA",
    ),
)

BUGS: Final[tuple[TargetInfo, ...]] = (
    # -- lost wakeups --------------------------------------------------------------------
    _bug(
        "notify_one_release",
        "R-RELEASE-ALL",
        ("deadlock",),
        _scenario(3, ["wait", "wait", "wait"]),
        "the release wakes one waiter (notify) instead of all",
    ),
    _bug(
        "drain_end_no_notify",
        "R-RELEASE-ALL",
        ("deadlock", "R-REUSE"),
        _scenario(2, ["wait wait", "wait wait"]),
        "the end of a drain does not wake the threads held at the gate",
    ),
    _bug(
        "reset_no_wake",
        "R-RESET",
        ("deadlock",),
        _scenario(2, ["wait", "n_waiting reset"]),
        "reset changes the state but does not notify",
    ),
    _bug(
        "abort_no_notify",
        "R-ABORT",
        ("deadlock",),
        _scenario(2, ["wait", "abort"]),
        "abort sets the broken state but does not notify",
    ),
    # -- condition waits, stale generations and reuse ---------------------------------------
    _bug(
        "if_not_while",
        "crash",
        ("R-ERROR-TYPE", "R-RELEASE"),
        _scenario(2, ["wait", "wait wait", "reset"]),
        "if instead of while at the entry gate: a reset during a drain trips an assertion",
    ),
    _bug(
        "no_drain_gate",
        "R-REUSE",
        ("R-RELEASE", "R-INDEX", "R-ACTION-ONCE", "R-RELEASE-ALL", "R-RESET"),
        _scenario(2, ["wait", "wait wait"]),
        "no entry gate: an early arrival joins the draining generation and trips it alone",
    ),
    _bug(
        "stale_generation",
        "R-RESET",
        ("R-RELEASE", "R-RELEASE-ALL", "R-TIMEOUT", "R-TIMEOUT-DEFAULT", "R-BROKEN-WAIT"),
        _scenario(2, ["wait", "reset"]),
        "a waiter checks the current generation's broken flag instead of its own",
    ),
    _bug(
        "sense_no_gate",
        "R-RELEASE-ALL",
        ("deadlock", "R-TIMEOUT", "R-TIMEOUT-DEFAULT"),
        _scenario(2, ["wait", "wait wait", "wait"]),
        "sense reversal without a drain gate: the bit flips twice under a sleeper "
        "(more threads than parties)",
    ),
    _bug(
        "event_reuse",
        "R-RELEASE-ALL",
        ("deadlock",),
        _scenario(2, ["wait", "wait", "wait"]),
        "one Event for every generation, cleared by the next one before a party waited on it "
        "(more threads than parties; one narrow preemption: random search rarely hits it, "
        "DFS with a preemption bound of 1 does at once)",
    ),
    # -- the action ----------------------------------------------------------------------
    _bug(
        "action_twice",
        "R-ACTION-ONCE",
        (),
        _scenario(1, ["wait"], action="ok"),
        "the action runs twice per generation",
    ),
    _bug(
        "action_every_party",
        "R-ACTION-ONCE",
        (),
        _scenario(2, ["wait", "wait"], action="ok"),
        "every released party runs the action again",
    ),
    _bug(
        "action_after_release",
        "R-ACTION-ONCE",
        ("R-ACTION-FAIL",),
        _scenario(2, ["wait", "wait"], action="ok"),
        "the action runs after the release, outside the lock",
    ),
    _bug(
        "action_outside_lock",
        "R-INDEX",
        ("R-RELEASE", "R-ABORT"),
        _scenario(2, ["wait", "wait", "wait"], action="ok"),
        "the lock is dropped around the action: an extra arrival gets index parties "
        "(more threads than parties)",
    ),
    _bug(
        "action_error_swallowed",
        "R-ACTION-FAIL",
        ("R-BROKEN-FLAG",),
        _scenario(1, ["wait"], action="raise@1"),
        "the action's exception is swallowed and the generation released",
    ),
    _bug(
        "action_error_not_breaking",
        "R-ACTION-FAIL",
        ("R-BROKEN-FLAG", "R-BROKEN-WAIT", "R-RELEASE-ALL", "deadlock", "R-ACTION-ONCE"),
        _scenario(2, ["wait", "wait"], action="raise@1"),
        "the action's exception propagates but the barrier is not broken",
    ),
    # -- timeouts ------------------------------------------------------------------------
    _bug(
        "timeout_not_breaking",
        "R-BROKEN-FLAG",
        ("R-TIMEOUT", "R-BROKEN-WAIT", "R-TIMEOUT-DEFAULT"),
        _scenario(2, ["wait(1) broken"]),
        "a timed-out wait raises without breaking the barrier",
        vt=True,
    ),
    _bug(
        "timeout_ignored",
        "R-TIMEOUT",
        ("deadlock",),
        _scenario(2, ["wait(1)"]),
        "the per-call timeout is ignored",
        vt=True,
    ),
    _bug(
        "default_timeout_ignored",
        "R-TIMEOUT-DEFAULT",
        ("R-TIMEOUT", "deadlock"),
        _scenario(2, ["wait"], timeout=1),
        "the constructor's default timeout is ignored",
        vt=True,
    ),
    _bug(
        "timeout_race",
        "R-TIMEOUT",
        ("R-RELEASE-ALL", "R-TIMEOUT-DEFAULT"),
        _scenario(2, ["wait(1)", "wait"]),
        "an expiry that lost the race to the trip still raises",
        vt=True,
    ),
    # -- indices -------------------------------------------------------------------------
    _bug(
        "index_off_by_one",
        "R-INDEX",
        (),
        _scenario(1, ["wait"]),
        "indices run from 1 to parties",
    ),
    _bug(
        "index_duplicated",
        "R-INDEX",
        (),
        _scenario(2, ["wait", "wait"]),
        "the index is read before the mutex is taken",
    ),
    # -- reset and abort -----------------------------------------------------------------
    _bug(
        "reset_keeps_count",
        "R-RESET",
        ("R-RELEASE-ALL", "R-RELEASE", "R-N-WAITING"),
        _scenario(2, ["wait", "reset wait"]),
        "reset starts a new generation with the old arrival count",
    ),
    _bug(
        "reset_keeps_broken",
        "R-RESET",
        ("R-BROKEN-WAIT", "R-BROKEN-FLAG"),
        _scenario(2, ["abort reset wait"]),
        "reset of a broken, empty barrier leaves it broken",
    ),
    _bug(
        "abort_not_sticky",
        "R-ABORT",
        ("R-BROKEN-FLAG", "R-BROKEN-WAIT", "R-TIMEOUT-DEFAULT"),
        _scenario(2, ["wait wait", "abort"]),
        "the last thread out clears the broken state",
    ),
    # -- attributes ----------------------------------------------------------------------
    _bug(
        "n_waiting_countdown",
        "R-N-WAITING",
        (),
        _scenario(2, ["n_waiting"]),
        "n_waiting reports the parties still missing",
    ),
    _bug(
        "broken_during_reset",
        "R-BROKEN-FLAG",
        ("R-RESET",),
        _scenario(2, ["wait", "reset broken"]),
        "broken reads True while a reset is in progress",
    ),
    # -- races between plain statements (line-level preemption only) ------------------------
    _bug(
        "unlocked_leave",
        "R-RELEASE-ALL",
        ("deadlock", "R-REUSE"),
        _scenario(2, ["wait wait", "wait wait"]),
        "the departure decrements the count outside the lock: a lost update",
        line=True,
    ),
    _bug(
        "abort_unlocked",
        "R-ABORT",
        ("R-BROKEN-FLAG", "R-BROKEN-WAIT"),
        _scenario(1, ["wait", "abort wait"]),
        "abort writes the state without the lock; a tripping wait overwrites it",
        line=True,
    ),
    # -- livelock ------------------------------------------------------------------------
    _bug(
        "livelock_broken_spin",
        "livelock",
        ("R-BROKEN-WAIT",),
        _scenario(1, ["abort wait"]),
        "a wait on a broken barrier spins (dropping and re-taking the lock) instead of raising",
    ),
    # -- shapes no catalogue scenario has (found by synthesis) ------------------------------
    _bug(
        "zero_timeout_forever",
        "R-TIMEOUT",
        ("deadlock", "R-TIMEOUT-DEFAULT", "R-BROKEN-FLAG"),
        _scenario(2, ["wait(0)"]),
        "a zero timeout is read as no timeout (an `if timeout:` slip): wait(0) blocks forever",
        vt=True,
        outside=True,
    ),
    _bug(
        "drain_end_notify_one",
        "R-RELEASE-ALL",
        ("deadlock", "R-REUSE"),
        _scenario(2, ["wait", "wait wait", "wait"]),
        "the end of a drain wakes one gate waiter, not all (parties=2, three threads, four waits)",
        outside=True,
    ),
    _bug(
        "leaving_one",
        "R-RELEASE-ALL",
        ("deadlock", "R-REUSE", "R-TIMEOUT"),
        _scenario(3, ["wait wait", "wait wait", "wait wait"]),
        "sense reversal counting one leaver, not parties - 1: with parties >= 3 the gate "
        "never opens again (a second generation)",
        outside=True,
    ),
    _bug(
        "recycled_event",
        "R-BROKEN-WAIT",
        ("R-RELEASE", "R-RELEASE-ALL", "R-TIMEOUT", "R-BROKEN-FLAG", "R-REUSE"),
        _scenario(2, ["wait wait wait", "wait wait"]),
        "two generation records recycled without clearing the event: the third generation's "
        "first wait passes its set event and breaks the barrier",
        outside=True,
    ),
)

#: Every bundled target of the full ``threading.Barrier`` API by name (the shapes are apart).
TARGETS: Final[dict[str, TargetInfo]] = {t.name: t for t in CORRECT + BUGS}


def _shape(name, attr, expected, notes, also=(), scenario=None, ends=False) -> TargetInfo:
    kind = "correct" if expected is None else "bug"
    spec = f"barrierlab.impl.shapes.{name}:{attr}"
    return TargetInfo(
        name, spec, kind, expected, scenario, notes=notes, also=also, ends_process=ends
    )


#: Barriers of other shapes (:mod:`barrierlab.impl.shapes`): their own error class, wait-only,
#: constructors taking only ``parties``, factory functions, polling loops, timers, ending the
#: process. Kept apart from :data:`TARGETS` (the benchmarks of the full API); the quality tier
#: checks them and the bundled reports include them.
SHAPES: Final[tuple[TargetInfo, ...]] = (
    _shape("own_error", "Barrier", None, "CPython's barrier raising its own RuntimeError subclass"),
    _shape(
        "own_error_not_runtime",
        "Barrier",
        "R-ERROR-TYPE",
        "its own BrokenBarrierError is not a RuntimeError",
        scenario=_scenario(2, ["wait(1)"]),
    ),
    _shape("countdown", "Barrier", None, "Barrier(n), wait() only, returning None"),
    _shape(
        "turnstile_lbs",
        "Barrier",
        "R-RELEASE-ALL",
        "the Little Book of Semaphores' two turnstiles: correct only with exactly n threads",
        also=("deadlock", "R-RELEASE", "R-REUSE"),
        scenario=_scenario(2, ["wait", "wait", "wait"]),
    ),
    _shape(
        "countdown_lone_pass",
        "Barrier",
        "R-REUSE",
        "wait-only; the count is never zeroed, so a lone thread passes after the first round",
        also=("R-RELEASE",),
        scenario=_scenario(2, ["wait", "wait", "wait"]),
    ),
    _shape("factory", "make_barrier", None, "a factory function taking only parties"),
    _shape("polling", "Barrier", None, "re-checks under a lock, sleeps 1 ms between checks"),
    _shape(
        "polling_timeout_ignored",
        "Barrier",
        "R-TIMEOUT",
        "a polling loop that never looks at its timeout",
        also=("R-TIMEOUT-DEFAULT", "livelock"),
        scenario=_scenario(2, ["wait(1)"]),
    ),
    _shape("timer", "Barrier", None, "times its waits with threading.Timer, cancelled and joined"),
    _shape(
        "timer_leak",
        "Barrier",
        "R-BROKEN-WAIT",
        "its timers are never cancelled and break a later generation",
        also=("R-TIMEOUT",),
        scenario=_scenario(2, ["wait(1)", "wait", "wait"]),
    ),
    _shape(
        "exits",
        "Barrier",
        "exit",
        "ends the process with os._exit(7) instead of raising BrokenBarrierError",
        scenario=_scenario(2, ["wait(1)"]),
    ),
    _shape(
        "aborts",
        "Barrier",
        "exit",
        "calls os.abort() instead of raising BrokenBarrierError: the process dies of SIGABRT",
        scenario=_scenario(2, ["wait(1)"]),
        ends=True,
    ),
)

#: Targets a check refuses (exit 2) with a message naming what it cannot control.
REFUSED: Final[tuple[TargetInfo, ...]] = (
    _shape(
        "semlock",
        "Barrier",
        "uncontrolled",
        "multiprocessing.Barrier used from threads: its locks are OS semaphores (SemLock)",
    ),
)
