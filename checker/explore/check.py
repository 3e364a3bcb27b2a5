"""Checking a whole target: every scenario explored, in rounds, within one time budget.

:func:`check` is the engine behind ``barrierlab check`` and :func:`barrierlab.checker.api.check`.

With *synthesis* (the default check, see :mod:`.synthesis`) the budget goes, in order, to: the
catalogue's scenarios in two rounds (to :data:`CATALOGUE_END` of the budget); a quick *probe*
of each generated scenario in turn, smallest first, until :data:`PROBE_END` (a few schedules of
the portfolio with short slices: bounded DFS, DFS, PCT, which finishes a tiny scenario
exhaustively); then every unfinished scenario, catalogue and generated alike, shares the rest
in rounds. So every generated scenario reached is probed before any gets a deep search. A
violation in a generated scenario is shrunk (:mod:`.shrink`) to a smallest scenario that still
fails before it is shown; generated scenarios that fail with a rule already shown are counted,
not shown again. A check stopped by schedule counts runs generated scenarios by count
instead (:meth:`_Session.run_by_count`), with no clock involved. Which scenarios, the probes,
shrinking and the coverage counts live in :mod:`.generated`, shared with :mod:`.parallel`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.generated import (
    PROBE_SECONDS,
    Shown,
    SpaceCoverage,
    first,
    generated,
    matched_count,
    probe,
    probe_scheduler,
    shrinker,
)
from barrierlab.checker.explore.hypothesis_space import search_space
from barrierlab.checker.explore.options import PROFILES, CheckOptions
from barrierlab.checker.explore.search import (
    ScenarioResult,
    Violation,
    explore,
    explore_hypothesis,
)
from barrierlab.checker.explore.synthesis import Bounds, key
from barrierlab.checker.outcomes import CheckVerdict
from barrierlab.checker.runtime.aio.detect import routed
from barrierlab.checker.runtime.capabilities import FULL, Capabilities
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import make_scheduler
from barrierlab.checker.schedulers.base import Deadlined, Scheduler
from barrierlab.checker.schedulers.portfolio import Portfolio
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import rules_for

__all__ = [
    "CATALOGUE_END",
    "PROBE_END",
    "PROFILES",
    "ROUNDS",
    "CheckOptions",
    "CheckResult",
    "SpaceCoverage",
    "check",
    "finished",
    "runnable",
    "scheduler_for",
]

#: The fraction of the budget spent by the end of each round of :func:`check`.
ROUNDS = (0.1, 0.5, 1.0)
#: With synthesis: the catalogue's rounds end at these fractions of the budget ...
CATALOGUE_END = (0.1, 0.3)
#: ... the probes of generated scenarios at this one, and the shared rounds at these.
PROBE_END = 0.7
SHARED_ROUNDS = (0.85, 1.0)
_real_monotonic = time.monotonic


@dataclass
class CheckResult:
    """The outcome of :func:`check`: per scenario, and overall."""

    target: str
    profile: str
    scheduler: str
    scenarios: list[ScenarioResult] = field(default_factory=list)
    seconds: float = 0.0
    #: The generated scenarios' coverage (None: synthesis was off).
    space: SpaceCoverage | None = None
    #: What the target offers (decided when it was loaded).
    capabilities: Capabilities = FULL
    #: Scenarios not run, each with what the target lacks for it.
    skipped: dict[str, list[str]] = field(default_factory=dict)
    #: Rule IDs looked past (``--ignore-rule``).
    ignored: frozenset[str] = frozenset()

    @property
    def violations(self) -> list[Violation]:
        return [s.violation for s in self.scenarios if s.violation is not None]

    @property
    def verdict(self) -> CheckVerdict:
        return CheckVerdict.FAIL if self.violations else CheckVerdict.PASS

    @property
    def exhaustive(self) -> bool:
        whole_space = self.space is None or (self.space.complete and not self.space.sampled)
        return bool(self.scenarios) and all(s.exhaustive for s in self.scenarios) and whole_space

    @property
    def schedules(self) -> int:
        return sum(s.schedules for s in self.scenarios)

    @property
    def steps(self) -> int:
        return sum(s.steps for s in self.scenarios)

    @property
    def rules_exercised(self) -> set[str]:
        return set().union(*(s.rules for s in self.scenarios)) if self.scenarios else set()

    @property
    def not_applicable(self) -> dict[str, str]:
        """The profile's rules that cannot be judged on this target, each with the reason."""
        return self.capabilities.not_applicable(self.profile)

    def rules_judged(self) -> tuple[int, int]:
        """(rules of the profile judged: neither not applicable nor ignored, rules of it)."""
        ids = rules_for(self.profile)
        skip = self.not_applicable.keys() | self.ignored
        return sum(r not in skip for r in ids), len(ids)

    def rule_coverage(self) -> tuple[int, int]:
        """(judged rules of the profile that accepted runs exercised, judged rules)."""
        skip = self.not_applicable.keys() | self.ignored
        ids = [r for r in rules_for(self.profile) if r not in skip]
        return sum(r in self.rules_exercised for r in ids), len(ids)

    def to_json(self) -> dict[str, Any]:
        covered, total = self.rule_coverage()
        judged, of = self.rules_judged()
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
            "rules_judged": {"judged": judged, "total": of},
            "capabilities": self.capabilities.describe(),
            "not_applicable": dict(sorted(self.not_applicable.items())),
            "ignored_rules": sorted(self.ignored),
            "skipped_scenarios": {k: v for k, v in self.skipped.items()},
            "scenarios": [
                {
                    "name": s.scenario.name,
                    "schedules": s.schedules,
                    "exhaustive": s.exhaustive,
                    "verdict": CheckVerdict.FAIL if s.violation else CheckVerdict.PASS,
                    "rules_exercised": sorted(s.rules),
                    "ignored": dict(sorted(s.ignored.items())),
                    "seconds": round(s.seconds, 3),
                }
                for s in self.scenarios
            ],
            "violations": [v.to_json() for v in self.violations],
            "synthesis": None if self.space is None else self.space.to_json(),
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
    synthesis: bool | None = None,
    bounds: Bounds | None = None,
    exclude: Sequence[Scenario] = (),
    supervised: bool = False,
    **option_fields: Any,
) -> CheckResult:
    """Explore every scenario (the built-in catalogue by default) and judge every schedule.

    The options are those of :class:`~barrierlab.checker.explore.options.CheckOptions`, given
    as one object or as keywords (``check(target, scenarios=[...], budget=5)``), or both (the
    keywords win). ``config``, when given, is used as it is (``budget``, ``max_schedules``,
    ``seed`` and ``line_level`` are then ignored). The time budget (seconds) is shared by the
    scenarios, in rounds (see :func:`_check_in_rounds`). ``fail_fast`` stops at the first
    violation; otherwise each scenario stops at its own first violation. Scenarios that need
    what the target lacks (:mod:`~barrierlab.checker.runtime.capabilities`) are not run, given
    or generated; ``ignore_rules`` are looked past; ``broken_error`` names the target's error
    class.

    ``synthesis``, ``bounds`` (keywords kept for callers of old; they win over the options'
    fields): after the given scenarios, go on into the generated space within ``bounds``
    (see the module docstring and :mod:`.generated`). By default it is on when no scenarios
    are given; a check stopped by schedule counts (``max_schedules``) runs generated
    scenarios only when ``generated`` says how many, and then by count, deterministically.
    With the ``hypothesis`` scheduler, Hypothesis then draws scenario and schedule together
    until the budget ends, and shrinks a failure as one (:mod:`.hypothesis_space`).

    ``exclude``: scenarios not to run (nor generate), judged already: those a supervised
    check's earlier worker process died in (:mod:`.supervise`).

    ``supervised``: run the check in a worker process, so that a target that ends the process
    (``os.abort()``, a segfault, a signal) is a violation and the check goes on
    (:mod:`.supervise`); ``target`` must then be a ``module:Name`` or ``file.py:Name`` text,
    and ``config`` is not taken (the options are).
    """
    opts = CheckOptions.of(options, **option_fields)
    if synthesis is not None or bounds is not None:
        opts = CheckOptions.of(
            opts,
            synthesis=opts.synthesis if synthesis is None else synthesis,
            bounds=bounds or opts.bounds,
        )
    if supervised:
        from barrierlab.checker.explore.supervise import check_supervised

        if not isinstance(target, str) or config is not None:
            raise InvalidArgument(
                "a supervised check takes its target as text ('module:Name' or "
                "'path/file.py:Name', so a worker process can load it) and no config"
            )
        return check_supervised(target, opts, on_progress=on_progress)
    profile, scheduler, fail_fast = opts.profile, opts.scheduler, opts.fail_fast
    config = config or opts.config()
    ignore = frozenset(opts.ignore_rules)
    loaded = (
        target
        if isinstance(target, Target)
        else load_target(target, broken_error=opts.broken_error)
    )
    chosen = opts.chosen_scenarios()
    profile, chosen = routed(loaded, profile, chosen, bool(opts.scenarios))  # asyncio targets
    chosen, skipped = runnable(loaded, chosen)
    excluded = {key(s) for s in exclude}  # already judged elsewhere (a supervisor's restart)
    chosen = [s for s in chosen if key(s) not in excluded]
    result = CheckResult(
        loaded.spec,
        profile,
        scheduler,
        capabilities=loaded.capabilities,
        skipped=skipped,
        ignored=ignore,
    )
    started = _real_monotonic()
    synthesizing = opts.synthesizing(config)
    space_bounds = opts.bounds or Bounds()
    if synthesizing and scheduler == "hypothesis":
        result.space = SpaceCoverage(space_bounds)
        result.scenarios = _check_hypothesis(
            loaded,
            chosen,
            config,
            profile,
            fail_fast,
            ignore,
            end=started + CATALOGUE_END[-1] * config.budget,
        )
        if not (fail_fast and result.violations):
            result.scenarios += _hypothesis_space(
                loaded,
                config,
                profile,
                result.space,
                started + config.budget,
                ignore,
                skip=excluded,
            )
    elif synthesizing and config.max_schedules is not None:
        count = opts.generated or matched_count(len(chosen), config.max_schedules)
        result.space = SpaceCoverage(space_bounds, limit=count)
        session = _Session(
            loaded, chosen, config, profile, scheduler, fail_fast, on_progress, ignore
        )
        session.exclude = list(exclude)
        result.scenarios = session.run_by_count(result.space, count)
    elif synthesizing:
        result.space = SpaceCoverage(space_bounds, limit=opts.generated)
        session = _Session(
            loaded, chosen, config, profile, scheduler, fail_fast, on_progress, ignore
        )
        session.exclude = list(exclude)
        result.scenarios = session.run_with_synthesis(result.space)
    elif scheduler == "hypothesis":
        result.scenarios = _check_hypothesis(
            loaded, chosen, config, profile, fail_fast, ignore, end=started + config.budget
        )
    else:
        result.scenarios = _check_in_rounds(
            loaded, chosen, config, profile, scheduler, fail_fast, on_progress, ignore
        )
    result.seconds = _real_monotonic() - started
    return result


def runnable(loaded: Target, chosen: list[Scenario]) -> tuple[list[Scenario], dict[str, list[str]]]:
    """The scenarios ``loaded`` can take, and the others with what it lacks for each.

    Raises :class:`InvalidArgument` when it can take none of them.
    """
    caps = loaded.capabilities
    skipped = {s.name: caps.missing_for(s) for s in chosen if caps.missing_for(s)}
    kept = [s for s in chosen if s.name not in skipped]
    if not kept:
        raise InvalidArgument(
            f"no scenario given can run on {loaded.spec} ({caps.describe()}): "
            + "; ".join(f"{n} needs {', '.join(why)}" for n, why in skipped.items())
        )
    return kept, skipped


def _check_hypothesis(
    loaded, chosen, config, profile, fail_fast, ignore=frozenset(), *, end: float
) -> list[ScenarioResult]:
    """One Hypothesis search per scenario (``--max-schedules`` examples, default 200), all
    ending by ``end``: each scenario gets an equal share of the time left when it starts (so
    time one does not need goes to the next)."""
    found_all = []
    for i, scenario in enumerate(chosen):
        now = _real_monotonic()
        found = explore_hypothesis(
            loaded,
            scenario,
            config,
            profile=profile,
            seed=config.seed + i,
            max_examples=config.max_schedules or 200,
            ignore=ignore,
            deadline=now + max(0.0, end - now) / (len(chosen) - i),
        )
        found_all.append(found)
        if found.violation is not None and fail_fast:
            break
    return found_all


def _hypothesis_space(
    loaded, config, profile, space, deadline, ignore=frozenset(), skip=frozenset()
) -> list[ScenarioResult]:
    """Scenario and schedule drawn together until the deadline (see :mod:`.hypothesis_space`);
    scenarios whose key is in ``skip`` are judged already (a supervisor's restart)."""
    found, tried, schedules = search_space(
        loaded,
        config,
        profile=profile,
        bounds=space.bounds,
        seed=config.seed,
        max_examples=100_000,
        deadline=deadline,
        ignore=ignore,
        skip=frozenset(skip),
    )
    space.tried, space.schedules = len(tried), schedules
    space.failed = int(found is not None)
    return [found] if found is not None else []


def _check_in_rounds(
    loaded, chosen, config, profile, scheduler, fail_fast, on_progress, ignore=frozenset()
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
                ignore=ignore,
            )
            if found_by[i].violation is not None and fail_fast:
                break
        if fail_fast and any(f.violation for f in found_by.values()):
            break
    return [found_by[i] for i in sorted(found_by)]


class _Session:
    """One check with synthesis: the scenarios so far, their schedulers and results."""

    def __init__(self, loaded, chosen, config, profile, scheduler, fail_fast, on_progress, ignore):
        self.loaded, self.config, self.profile = loaded, config, profile
        self.ignore = ignore
        self.scheduler, self.fail_fast, self.on_progress = scheduler, fail_fast, on_progress
        self.scenarios: list[Scenario] = list(chosen)
        self.given = len(chosen)
        self.schedulers: dict[int, Scheduler] = {}
        self.found: dict[int, ScenarioResult] = {}
        self.started = _real_monotonic()
        self.shown: Shown | None = None
        self.exclude: list[Scenario] = []

    def at(self, fraction: float) -> float:
        return self.started + self.config.budget * fraction

    def unfinished(self, indices) -> list[int]:
        return [
            i
            for i in indices
            if i not in self.found
            or (self.found[i].violation is None and not finished(self.schedulers[i]))
        ]

    def stop(self) -> bool:
        return self.fail_fast and any(f.violation for f in self.found.values())

    def progress(self, label: str, scenario: Scenario):
        def say(found: ScenarioResult) -> None:
            if self.on_progress is not None:
                self.on_progress(f"{label} {scenario.name}: {found.schedules} schedules")

        return say

    def turn(self, i: int, deadline: float | None, label: str, probing: bool = False) -> None:
        scenario = self.scenarios[i]
        if i not in self.schedulers:
            if i < self.given:
                self.schedulers[i] = scheduler_for(self.scheduler, self.config, i, deadline or 0)
            else:
                self.schedulers[i] = probe_scheduler(
                    self.scheduler, self.config, i, deadline, scheduler_for
                )
        sched = self.schedulers[i]
        say = self.progress(label, scenario)
        if probing:
            self.found[i] = probe(
                self.loaded,
                scenario,
                sched,
                self.config,
                profile=self.profile,
                deadline=deadline,
                ignore=self.ignore,
                on_schedule=say,
            )
        else:
            if isinstance(sched, Deadlined):
                sched.deadline = deadline
            self.found[i] = explore(
                self.loaded,
                scenario,
                sched,
                self.config,
                profile=self.profile,
                deadline=deadline,
                on_schedule=say,
                resume=self.found.get(i),
                ignore=self.ignore,
            )
        if i >= self.given and self.shown is not None:
            self.shown.consider(i, self.found[i])

    def rounds(self, indices, fractions, label: str) -> None:
        for round_no, fraction in enumerate(fractions, start=1):
            todo = self.unfinished(indices)
            round_end = self.at(fraction)
            for k, i in enumerate(todo):
                now = _real_monotonic()
                deadline = now + max(0.0, round_end - now) / (len(todo) - k)
                self.turn(i, deadline, f"{label} {round_no}/{len(fractions)} [{k + 1}/{len(todo)}]")
                if self.stop():
                    return

    def start_showing(self) -> None:
        shrunk = shrinker(
            self.loaded,
            self.config,
            profile=self.profile,
            scheduler=self.scheduler,
            ignore=self.ignore,
            scheduler_for=scheduler_for,
        )
        self.shown = Shown([self.found[i] for i in sorted(self.found)], shrunk)

    def run_with_synthesis(self, space: SpaceCoverage) -> list[ScenarioResult]:
        """By time (see the module docstring)."""
        self.rounds(range(self.given), CATALOGUE_END, "catalogue round")
        self.start_showing()
        probe_end = self.at(PROBE_END)
        space_left = generated(
            self.loaded, space.bounds, self.scenarios + self.exclude, self.profile
        )
        while not self.stop() and _real_monotonic() < probe_end:
            if space.limit is not None and len(self.scenarios) - self.given >= space.limit:
                break
            scenario = next(space_left, None)
            if scenario is None:
                space.complete = True
                break
            self.scenarios.append(scenario)
            i = len(self.scenarios) - 1
            deadline = min(probe_end, _real_monotonic() + PROBE_SECONDS)
            self.turn(i, deadline, f"probe [{i - self.given + 1}]", probing=True)
        if not self.stop():
            self.rounds(range(len(self.scenarios)), SHARED_ROUNDS, "round")
        assert self.shown is not None
        return self.shown.results(self.found, self.given, space)

    def run_by_count(self, space: SpaceCoverage, count: int) -> list[ScenarioResult]:
        """By count: the given scenarios as without synthesis, then one probe of each of the
        first ``count`` generated scenarios, no clock involved (see :mod:`.generated`)."""
        given = _check_in_rounds(
            self.loaded,
            self.scenarios,
            self.config,
            self.profile,
            self.scheduler,
            self.fail_fast,
            self.on_progress,
            self.ignore,
        )
        self.found = dict(enumerate(given))
        self.start_showing()
        if self.stop():
            return given
        chosen, space.complete = first(
            self.loaded, space.bounds, self.scenarios + self.exclude, self.profile, count
        )
        for k, scenario in enumerate(chosen):
            self.scenarios.append(scenario)
            self.turn(self.given + k, None, f"generated [{k + 1}/{len(chosen)}]", probing=True)
            if self.stop():
                break
        assert self.shown is not None
        return self.shown.results(self.found, self.given, space)
