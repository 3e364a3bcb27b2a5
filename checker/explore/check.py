"""Checking a whole target: every scenario explored, in rounds, within one time budget.

:func:`check` is the engine behind ``barrierlab check`` and :func:`barrierlab.checker.api.check`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.options import PROFILES, CheckOptions
from barrierlab.checker.explore.search import (
    ScenarioResult,
    Violation,
    explore,
    explore_hypothesis,
)
from barrierlab.checker.outcomes import CheckVerdict
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.checker.schedulers.base import Deadlined, Scheduler
from barrierlab.checker.schedulers.portfolio import Portfolio
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import RULES

__all__ = [
    "PROFILES",
    "ROUNDS",
    "CheckOptions",
    "CheckResult",
    "check",
    "finished",
    "scheduler_for",
]

#: The fraction of the budget spent by the end of each round of :func:`check`.
ROUNDS = (0.1, 0.5, 1.0)
_real_monotonic = time.monotonic


@dataclass
class CheckResult:
    """The outcome of :func:`check`: per scenario, and overall."""

    target: str
    profile: str
    scheduler: str
    scenarios: list[ScenarioResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def violations(self) -> list[Violation]:
        return [s.violation for s in self.scenarios if s.violation is not None]

    @property
    def verdict(self) -> CheckVerdict:
        return CheckVerdict.FAIL if self.violations else CheckVerdict.PASS

    @property
    def exhaustive(self) -> bool:
        return bool(self.scenarios) and all(s.exhaustive for s in self.scenarios)

    @property
    def schedules(self) -> int:
        return sum(s.schedules for s in self.scenarios)

    @property
    def steps(self) -> int:
        return sum(s.steps for s in self.scenarios)

    @property
    def rules_exercised(self) -> set[str]:
        return set().union(*(s.rules for s in self.scenarios)) if self.scenarios else set()

    def rule_coverage(self) -> tuple[int, int]:
        """(rules of the profile that accepted runs exercised, rules of the profile)."""
        ids = [r for r, rule in RULES.items() if self.profile in rule.profiles]
        return sum(r in self.rules_exercised for r in ids), len(ids)

    def to_json(self) -> dict[str, Any]:
        covered, total = self.rule_coverage()
        return {
            "target": self.target,
            "profile": self.profile,
            "verdict": self.verdict,
            "exhaustive": self.exhaustive,
            "schedules": self.schedules,
            "steps": self.steps,
            "seconds": round(self.seconds, 3),
            "scheduler": self.scheduler,
            "rule_coverage": {"covered": covered, "total": total},
            "scenarios": [
                {
                    "name": s.scenario.name,
                    "schedules": s.schedules,
                    "exhaustive": s.exhaustive,
                    "verdict": CheckVerdict.FAIL if s.violation else CheckVerdict.PASS,
                    "rules_exercised": sorted(s.rules),
                    "seconds": round(s.seconds, 3),
                }
                for s in self.scenarios
            ],
            "violations": [v.to_json() for v in self.violations],
        }


def scheduler_for(name: str, config: Config, scenario_index: int, deadline: float) -> Scheduler:
    seed = config.seed * 1_000_003 + scenario_index
    if name == "portfolio":
        return Portfolio(
            seed=seed,
            dfs_cap=config.dfs_cap,
            preemption_bound=config.preemption_bound,
            deadline=deadline,
        )
    if name == "dfs":
        return make_scheduler(
            "dfs", preemption_bound=config.preemption_bound, max_schedules=config.max_schedules
        )
    if name == "replay":
        raise InvalidArgument("the replay scheduler takes a token: use 'barrierlab replay TOKEN'")
    return make_scheduler(name, seed=seed)


def finished(scheduler: Scheduler) -> bool:
    """True when a scheduler has run every schedule it would ever run (it is exhaustive).

    A scheduler that ended otherwise (a bound or a cap) is given its turns still: its
    :meth:`~barrierlab.checker.schedulers.base.Scheduler.start` then says no at once.
    """
    return scheduler.exhaustive


def check(
    target: str | Target,
    options: CheckOptions | None = None,
    *,
    config: Config | None = None,
    on_progress: Callable[[str], None] | None = None,
    **option_fields: Any,
) -> CheckResult:
    """Explore every scenario (the built-in catalogue by default) and judge every schedule.

    The options are those of :class:`~barrierlab.checker.explore.options.CheckOptions`, given
    as one object or as keywords (``check(target, scenarios=[...], budget=5)``), or both (the
    keywords win). ``config``, when given, is used as it is (``budget``, ``max_schedules``,
    ``seed`` and ``line_level`` are then ignored). The time budget (seconds) is shared by the
    scenarios, in rounds (see :func:`_check_in_rounds`). ``fail_fast`` stops at the first
    violation; otherwise each scenario stops at its own first violation.
    """
    opts = CheckOptions.of(options, **option_fields)
    profile, scheduler, fail_fast = opts.profile, opts.scheduler, opts.fail_fast
    config = config or opts.config()
    loaded = target if isinstance(target, Target) else load_target(target)
    chosen = opts.chosen_scenarios()
    result = CheckResult(loaded.spec, profile, scheduler)
    started = _real_monotonic()
    if scheduler == "hypothesis":
        result.scenarios = _check_hypothesis(loaded, chosen, config, profile, fail_fast)
    else:
        result.scenarios = _check_in_rounds(
            loaded, chosen, config, profile, scheduler, fail_fast, on_progress
        )
    result.seconds = _real_monotonic() - started
    return result


def _check_hypothesis(loaded, chosen, config, profile, fail_fast) -> list[ScenarioResult]:
    """One Hypothesis search per scenario (``--max-schedules`` examples, default 200)."""
    found_all = []
    for i, scenario in enumerate(chosen):
        found = explore_hypothesis(
            loaded,
            scenario,
            config,
            profile=profile,
            seed=config.seed + i,
            max_examples=config.max_schedules or 200,
        )
        found_all.append(found)
        if found.violation is not None and fail_fast:
            break
    return found_all


def _check_in_rounds(
    loaded, chosen, config, profile, scheduler, fail_fast, on_progress
) -> list[ScenarioResult]:
    """Explore the scenarios in rounds (see :data:`ROUNDS`) within the budget.

    Every scenario gets an equal share of a tenth of the budget (a quick pass: most bugs show
    in the first schedules), then of half of it, then the unfinished ones share the rest. So a
    bug in the last scenario is never starved by the first ones, and time a scenario does not
    need (its search ended) goes to the others.
    """
    started = _real_monotonic()
    end = started + config.budget
    schedulers: dict[int, Scheduler] = {}
    found_by: dict[int, ScenarioResult] = {}
    for round_no, fraction in enumerate(ROUNDS, start=1):
        todo = [
            i
            for i in range(len(chosen))
            if i not in found_by or (found_by[i].violation is None and not finished(schedulers[i]))
        ]
        round_end = started + config.budget * fraction
        for k, i in enumerate(todo):
            scenario = chosen[i]
            now = _real_monotonic()
            deadline = now + max(0.0, min(round_end, end) - now) / (len(todo) - k)
            if i not in schedulers:
                schedulers[i] = scheduler_for(scheduler, config, i, deadline)
            sched = schedulers[i]
            if isinstance(sched, Deadlined):
                sched.deadline = deadline

            def progress(found: ScenarioResult, i=i, scenario=scenario, r=round_no) -> None:
                if on_progress is not None:
                    on_progress(
                        f"round {r}/{len(ROUNDS)} [{i + 1}/{len(chosen)}] {scenario.name}: "
                        f"{found.schedules} schedules"
                    )

            found_by[i] = explore(
                loaded,
                scenario,
                sched,
                config,
                profile=profile,
                deadline=deadline,
                on_schedule=progress,
                resume=found_by.get(i),
            )
            if found_by[i].violation is not None and fail_fast:
                break
        if fail_fast and any(f.violation for f in found_by.values()):
            break
    return [found_by[i] for i in sorted(found_by)]
