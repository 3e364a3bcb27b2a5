"""Exploring one scenario: run schedules until the scheduler is done, a violation turns up, or
the time is up; judge every run against the spec.

A run's verdict, in this order: a *crash* (a barrier call raised something other than
``BrokenBarrierError`` or the action's exception); a *spec* violation (the model rejects the
trace; when the run ended with threads blocked and the model says they should not be, it is a
*deadlock*, or *stalled* when they were polling); a *deadlock* too where an asyncio run hung
before a cancellation moved it on, if the spec says the tasks blocked there should not be
(``RunResult.hangs``); a *livelock* (the step bound cut the run); *uncontrolled* blocking (the
watchdog cut it).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.construction import judge_construction
from barrierlab.checker.explore.token import Token
from barrierlab.checker.explore.verdict_cache import verdict as remembered
from barrierlab.checker.outcomes import RunOutcome, ViolationKind
from barrierlab.checker.runtime.capabilities import FULL, Capabilities
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.run import RunResult
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice, Scheduler, encode_choice, report_blocked
from barrierlab.checker.schedulers.hypothesis_driven import find_schedule
from barrierlab.model.accept import Verdict
from barrierlab.model.events import BROKEN, Call, Event, Raise, Return, trace_to_json
from barrierlab.model.versions import base_profile

__all__ = [
    "Judgement",
    "ScenarioResult",
    "Violation",
    "explore",
    "explore_hypothesis",
    "judge",
    "shown",
]

_real_monotonic = time.monotonic


@dataclass(frozen=True)
class Judgement:
    """The verdict on one run: ``kind`` is None when the run is fine."""

    kind: ViolationKind | None
    rule: str | None
    message: str
    verdict: Verdict
    #: asyncio: the run hung here (a length of its trace) before a cancellation moved it on;
    #: the violation is shown with the trace up to this point (see :func:`shown`).
    hung_at: int | None = None

    @property
    def rejected_at(self) -> int | None:
        """Where the spec rejected the trace (spec and deadlock violations), else None."""
        return self.verdict.index if self.kind is not None and self.kind.rejected_by_spec else None


@dataclass
class Violation:
    """A failing schedule, with everything needed to show and replay it."""

    kind: ViolationKind
    rule: str | None
    message: str
    scenario: Scenario
    token: str
    result: RunResult
    verdict: Verdict
    seconds: float = 0.0
    schedules: int = 0
    #: The scenario it was first found in, when it was shrunk to ``scenario``.
    shrunk_from: Scenario | None = None

    @property
    def trace(self) -> tuple[Event, ...]:
        return self.result.trace

    @property
    def rejected_at(self) -> int | None:
        """Where the spec rejected the trace (spec and deadlock violations), else None."""
        return self.verdict.index if self.kind.rejected_by_spec else None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "scenario": self.scenario.name,
            "scenario_args": self.scenario.to_args(),
            "shrunk_from": None if self.shrunk_from is None else self.shrunk_from.to_args(),
            "token": self.token,
            "message": self.message,
            "trace": trace_to_json(self.result.trace),
            "states": list(self.verdict.states),
            "rejected_at": self.verdict.index,
            "allowed": list(self.verdict.allowed),
            "blocked": list(self.result.blocked),
            "crash": self.result.crash,
            "schedules_to_find": self.schedules,
            "seconds_to_find": round(self.seconds, 3),
        }


@dataclass
class ScenarioResult:
    """What exploring one scenario found."""

    scenario: Scenario
    schedules: int = 0
    steps: int = 0
    exhaustive: bool = False
    violation: Violation | None = None
    rules: set[str] = field(default_factory=set)
    edges: set = field(default_factory=set)
    outcomes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    #: Runs that broke an ignored rule (``--ignore-rule``), by rule.
    ignored: Counter = field(default_factory=Counter)

    def record(
        self, result: RunResult, judgement: Judgement, ignore: frozenset[str] = frozenset()
    ) -> Judgement:
        """Count one judged run (and what it covered, if it was fine); return the judgement.

        A run that breaks only a rule in ``ignore`` is counted there and judged fine.
        """
        self.schedules += 1
        self.steps += result.steps
        self.outcomes[result.outcome] += 1
        if judgement.kind is not None and judgement.rule in ignore:
            self.ignored[judgement.rule] += 1
            return Judgement(None, None, "ok (an ignored rule)", judgement.verdict)
        if judgement.kind is None:
            self.rules |= judgement.verdict.rules_exercised
            self.edges |= judgement.verdict.edges
        return judgement


def judge(
    result: RunResult, scenario: Scenario, profile: str, capabilities: Capabilities = FULL
) -> Judgement:
    """Decide what one run shows (see the module docstring for the order).

    ``capabilities`` says what the target offers: a ``wait()`` that returns None is judged
    with the index checks off, and its error class must be a RuntimeError, as documented.
    """
    if scenario.invalid_parties:  # a construction scenario: rule C-PARTIES alone
        return judge_construction(result, scenario, profile)
    verdict = remembered(
        result.trace,
        parties=scenario.parties,
        profile=base_profile(profile),
        default_timeout=scenario.default_timeout,
        has_action=scenario.has_action,
        complete=result.finished,
        indices=capabilities.returns_index,
    )
    if result.exit_code is not None:
        return Judgement(
            ViolationKind.EXIT,
            None,
            f"the target ended the process (exit {result.exit_code}) in scenario "
            f"{scenario.name}: t{result.crash_tid} called os._exit({result.exit_code}) "
            "(barrierlab stopped that thread instead, and went on)",
            verdict,
        )
    if result.crash is not None:
        last = result.crash.strip().splitlines()[-1]
        rule = result.crash_rule or ("A-ERROR-TYPE" if profile == "asyncio" else "R-ERROR-TYPE")
        return Judgement(
            ViolationKind.CRASH,
            rule,
            f"t{result.crash_tid} crashed inside the barrier: {last}",
            verdict,
        )
    if not verdict.ok:
        at_end = verdict.index == len(result.trace)
        kind = ViolationKind.SPEC
        if at_end and result.outcome == RunOutcome.DEADLOCK:
            kind = ViolationKind.DEADLOCK
        elif at_end and result.outcome == RunOutcome.STALLED:
            kind = ViolationKind.STALLED
        return Judgement(kind, verdict.rule, verdict.message, verdict)
    hang = _judge_hangs(result, scenario, profile, capabilities)
    if hang is not None:
        return hang
    if not capabilities.error_is_runtime_error:
        raised = [e for e in result.trace if isinstance(e, Raise) and e.error == BROKEN]
        if raised:
            return Judgement(
                ViolationKind.SPEC,
                "R-ERROR-TYPE",
                f"t{raised[0].tid} raised {capabilities.error_name}, the target's "
                "BrokenBarrierError, which is not a subclass of RuntimeError (the "
                "documentation: 'This exception, a subclass of RuntimeError, is raised when "
                "the Barrier object is reset or broken')",
                verdict,
            )
    if result.outcome == RunOutcome.LIVELOCK:
        fair = ""
        if result.fair_from is not None:
            fair = (
                f", the last of them from step {result.fair_from} under a fair schedule (each "
                "thread that could step, in turn) with no progress"
            )
        return Judgement(
            ViolationKind.LIVELOCK,
            None,
            f"the run took {result.steps} scheduling steps without finishing (the step "
            f"bound){fair}; a thread spins or the scenario never ends",
            verdict,
        )
    if result.outcome == RunOutcome.UNCONTROLLED:
        return Judgement(ViolationKind.UNCONTROLLED, None, "; ".join(result.blocked), verdict)
    return Judgement(None, None, "ok", verdict)


def _judge_hangs(
    result: RunResult, scenario: Scenario, profile: str, capabilities: Capabilities
) -> Judgement | None:
    """The first point where an asyncio run hung with tasks that should have gone on.

    There, only a cancellation from outside moved the run on (``RunResult.hangs``); a
    program that nobody cancels stays there for good, so the trace up to that point is judged
    as a finished run. Since 3.13 ``asyncio.Condition.wait`` wakes another waiter when a
    waiter is cancelled: the cancellation may end the hang that a lost wake-up caused, and
    the run's own end look fine.
    """
    for at in result.hangs:
        if at >= len(result.trace):
            continue  # the end of the run: judged as such
        verdict = remembered(
            result.trace[:at],
            parties=scenario.parties,
            profile=base_profile(profile),
            default_timeout=scenario.default_timeout,
            has_action=scenario.has_action,
            complete=True,
            indices=capabilities.returns_index,
        )
        if not verdict.ok:
            message = f"{verdict.message} (the run hung there until a task was cancelled)"
            return Judgement(ViolationKind.DEADLOCK, verdict.rule, message, verdict, at)
    return None


def shown(result: RunResult, judgement: Judgement) -> RunResult:
    """The run as a violation shows it: up to the hang for a hang (see :func:`judge`)."""
    at = judgement.hung_at
    if at is None:
        return result
    trace = result.trace[:at]
    open_calls: dict[int, str] = {}
    for event in trace:
        if isinstance(event, Call):
            open_calls[event.tid] = event.op
        elif isinstance(event, Return | Raise):
            open_calls.pop(event.tid, None)
    blocked = tuple(
        f"t{tid} blocked in {op} for good (unless cancelled)"
        for tid, op in sorted(open_calls.items())
    )
    return replace(
        result,
        trace=trace,
        outcome=RunOutcome.DEADLOCK,
        blocked=blocked,
        pending=tuple(Choice(tid) for tid in sorted(open_calls)),
        hangs=(),
    )


def _violation(target, scenario, config, profile, result, judgement, started, schedules):
    token = Token(
        target=target.spec,
        scenario=scenario.to_json(),
        profile=profile,
        line_level=config.line_level,
        footprints=config.footprints,
        step_bound=config.step_bound,
        choices=tuple(encode_choice(c) for c in result.choices),
        broken_error=target.broken_error,
    ).encode()
    return Violation(
        judgement.kind,
        judgement.rule,
        judgement.message,
        scenario,
        token,
        shown(result, judgement),
        judgement.verdict,
        seconds=_real_monotonic() - started,
        schedules=schedules,
    )


def explore(
    target: Target,
    scenario: Scenario,
    scheduler: Scheduler,
    config: Config,
    *,
    profile: str = "documented",
    deadline: float | None = None,
    on_schedule: Callable[[ScenarioResult], None] | None = None,
    resume: ScenarioResult | None = None,
    stop: Callable[[], bool] | None = None,
    limit: int | None = None,
    ignore: frozenset[str] = frozenset(),
) -> ScenarioResult:
    """Run ``scheduler``'s schedules of ``scenario``; stop at the first violation.

    ``deadline`` is a real ``time.monotonic()`` instant after which no new schedule starts.
    ``resume``: the result of an earlier call with the same scheduler, to continue and add to.
    ``stop``: asked before each schedule; True ends the search there (another worker of a
    parallel check found a violation). The result is then not exhaustive.
    ``limit``: run at most this many schedules in this call (``config.max_schedules`` caps
    the total).
    ``ignore``: rule IDs whose violations are counted but looked past (known deviations).
    """
    found = resume if resume is not None else ScenarioResult(scenario)
    started = _real_monotonic() - found.seconds
    cap = config.max_schedules
    if limit is not None:
        cap = found.schedules + limit if cap is None else min(cap, found.schedules + limit)
    while (cap is None or found.schedules < cap) and (
        deadline is None or _real_monotonic() < deadline
    ):
        if (stop is not None and stop()) or not scheduler.start():
            break
        result = run_once(target, scenario, scheduler, config)
        report_blocked(scheduler, result.pending)
        scheduler.finish(result.cut_short)
        judgement = found.record(
            result, judge(result, scenario, profile, target.capabilities), ignore
        )
        if judgement.kind is not None:
            found.violation = _violation(
                target, scenario, config, profile, result, judgement, started, found.schedules
            )
            break
        if on_schedule is not None:
            on_schedule(found)
    found.exhaustive = found.violation is None and scheduler.exhaustive
    found.seconds = _real_monotonic() - started
    return found


def explore_hypothesis(
    target: Target,
    scenario: Scenario,
    config: Config,
    *,
    profile: str = "documented",
    seed: int = 0,
    max_examples: int = 200,
    ignore: frozenset[str] = frozenset(),
    deadline: float | None = None,
) -> ScenarioResult:
    """Search with Hypothesis for a failing schedule; shrink it to few, early preemptions.

    At most ``max_examples`` schedules, none started after ``deadline`` (``time.monotonic()``).
    """
    found = ScenarioResult(scenario)
    started = _real_monotonic()

    def run(scheduler: Scheduler) -> tuple[RunResult, Judgement]:
        result = run_once(target, scenario, scheduler, config)
        judgement = judge(result, scenario, profile, target.capabilities)
        return result, found.record(result, judgement, ignore)

    hit = find_schedule(
        run,
        lambda pair: pair[1].kind is not None,
        seed=seed,
        max_examples=max_examples,
        deadline=deadline,
    )
    if hit is not None:
        result, judgement = hit.result
        found.violation = _violation(
            target, scenario, config, profile, result, judgement, started, found.schedules
        )
    found.seconds = _real_monotonic() - started
    return found
