"""Generated scenarios inside a check: which ones run, how each is probed, which failures are
shown (shrunk), and how much of the space was covered.

Serial checks (:mod:`.check`) and checks spread over processes or a cluster (:mod:`.parallel`)
share these pieces, so both pick the same scenarios, give scenario ``i`` the same scheduler,
and show the same failures.

Two ways to bound the work:

* **by time** (a check without ``max_schedules``): generated scenarios are probed one after the
  other while the probe phase lasts, each for at most :data:`PROBE_SCHEDULES` schedules and
  :data:`PROBE_SECONDS`; shrinking gets a share of the budget;
* **by count** (``max_schedules`` set, as in reports): the first ``generated`` scenarios the
  target can take are probed, each for at most :data:`PROBE_SCHEDULES` schedules (and at most
  ``max_schedules``), with no clock at all; a failure is shrunk with at most
  :data:`SHRINK_TRIES` candidates of :data:`PROBE_SCHEDULES` schedules each. So the result
  depends only on the target, the seed and the settings: serial, on N processes and on a
  cluster alike.

**Which failures are shown.** Generated scenarios are taken in their index order; the first
one that fails with a (kind, rule) not shown yet (by the given scenarios or an earlier
generated one) is shrunk (:mod:`.shrink`) and shown; the others are counted in
:class:`SpaceCoverage` only.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import ScenarioResult, Violation, explore
from barrierlab.checker.explore.shrink import shrink
from barrierlab.checker.explore.spec_classes import SpecClasses
from barrierlab.checker.explore.synthesis import Bounds, key, offered_parts, scenarios
from barrierlab.checker.runtime.capabilities import Capabilities
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Deadlined, Scheduler
from barrierlab.checker.schedulers.portfolio import Portfolio
from barrierlab.model.versions import base_profile

__all__ = [
    "PROBE_SCHEDULES",
    "PROBE_SECONDS",
    "PROBE_SLICE",
    "SHRINK_SECONDS",
    "SHRINK_SHARE",
    "SHRINK_TRIES",
    "Shown",
    "SpaceCoverage",
    "generated",
    "matched_count",
    "probe",
    "probe_scheduler",
    "shrinker",
]

#: Schedules of each slice of a generated scenario's portfolio (a probe is three slices).
PROBE_SLICE = 8
#: Schedules a probe runs at most: bounded DFS, DFS and PCT, one slice each.
PROBE_SCHEDULES = 3 * PROBE_SLICE
#: Real seconds a probe takes at most (by time only).
PROBE_SECONDS = 0.25
#: By time, shrinking a violation takes at most this share of the budget (and these seconds).
SHRINK_SHARE, SHRINK_SECONDS = 0.25, 20.0
#: By count, shrinking a violation tries at most this many candidates.
SHRINK_TRIES = 60
_real_monotonic = time.monotonic


def matched_count(given: int, max_schedules: int) -> int:
    """Generated scenarios a check stopped by schedule counts runs when not told how many: as
    many probes as give the space the schedules the ``given`` scenarios get (one probe of
    :data:`PROBE_SCHEDULES` schedules per ``PROBE_SCHEDULES`` of ``given x max_schedules``),
    so a deeper check also reaches further into the space; at least one.

    >>> matched_count(20, 200), matched_count(20, 24), matched_count(1, 1)
    (166, 20, 1)
    """
    return max(1, given * max_schedules // PROBE_SCHEDULES)


@dataclass
class SpaceCoverage:
    """How much of the generated scenario space a check covered."""

    bounds: Bounds
    tried: int = 0
    exhausted: int = 0
    failed: int = 0
    schedules: int = 0
    #: True when every scenario of the space was tried.
    complete: bool = False
    #: By count: the number of generated scenarios asked for (None: by time).
    limit: int | None = None
    #: Rules the generated scenarios' accepted runs exercised.
    rules: set[str] = field(default_factory=set)

    @property
    def sampled(self) -> int:
        return self.tried - self.exhausted - self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "bounds": {
                "max_parties": self.bounds.max_parties,
                "max_threads": self.bounds.max_threads,
                "max_ops": self.bounds.max_ops,
            },
            "limit": self.limit,
            "tried": self.tried,
            "exhausted": self.exhausted,
            "sampled": self.sampled,
            "failed": self.failed,
            "schedules": self.schedules,
            "complete": self.complete,
            "rules_exercised": sorted(self.rules),
        }

    def summary(self) -> str:
        bounds = self.bounds
        return (
            f"generated scenarios (parties <= {bounds.max_parties}, threads <= "
            f"{bounds.max_threads}, steps <= {bounds.max_ops}): {self.tried} tried"
            f"{' (the whole space)' if self.complete else ''}, {self.exhausted} exhaustive, "
            f"{self.sampled} sampled, {self.failed} failed; {self.schedules} schedules"
        )

    def add(self, found: ScenarioResult) -> None:
        """Count one generated scenario's result."""
        self.tried += 1
        self.schedules += found.schedules
        self.exhausted += found.exhaustive and found.violation is None
        self.failed += found.violation is not None
        self.rules |= found.rules


class _Space:
    """The space of what a target can take, without repeats of spec classes, remembered as far
    as it was read (the same for every target that offers the same steps: a process checking
    many targets classifies each scenario once)."""

    def __init__(
        self, bounds: Bounds, given: list[Scenario], profile: str, offered: Capabilities
    ) -> None:
        self.source = scenarios(bounds, exclude=given, offered=offered)
        self.classes = SpecClasses(profile)
        self.read: list[Scenario] = []
        self.done = False

    def __iter__(self) -> Iterator[Scenario]:
        for i in itertools.count():
            while i >= len(self.read) and not self.done:
                scenario = next(self.source, None)
                if scenario is None:
                    self.done = True
                elif self.classes.add(scenario):
                    self.read.append(scenario)
            if i >= len(self.read):
                return
            yield self.read[i]


_SPACES: dict[tuple, _Space] = {}


def generated(
    loaded: Target, bounds: Bounds, given: list[Scenario], profile: str
) -> Iterator[Scenario]:
    """The generated scenarios a check of ``loaded`` runs, in order: the space within
    ``bounds`` without the ``given`` ones, without those whose spec state graph (under
    ``profile``) is one already met up to renaming (:mod:`.spec_classes`; the first, smallest
    of a class stays). Only what the target can take is built at all (``offered`` of
    :func:`.synthesis.scenarios`), so the classes are those of the target's own space."""
    caps = loaded.capabilities
    offered = offered_parts(caps)
    memo = (bounds, frozenset(key(s) for s in given), base_profile(profile), offered)
    if memo not in _SPACES:
        if len(_SPACES) > 16:
            _SPACES.clear()
        _SPACES[memo] = _Space(bounds, given, profile, caps)
    yield from _SPACES[memo]


def first(loaded: Target, bounds: Bounds, given: list[Scenario], profile: str, n: int):
    """The first ``n`` of :func:`generated`, and whether they are the whole space."""
    found = list(itertools.islice(generated(loaded, bounds, given, profile), n + 1))
    return found[:n], len(found) <= n


def probe_scheduler(
    name: str, config: Config, index: int, deadline: float | None, scheduler_for=None
) -> Scheduler:
    """The scheduler of generated scenario number ``index`` of a check: the portfolio with
    short slices, so a probe of :data:`PROBE_SCHEDULES` schedules runs bounded DFS, DFS and
    PCT. Another scheduler than the portfolio is built by ``scheduler_for`` as for a given
    scenario."""
    if name != "portfolio":
        assert scheduler_for is not None
        return scheduler_for(name, config, index, deadline or 0.0)
    return Portfolio(
        seed=config.seed * 1_000_003 + index,
        dfs_cap=config.dfs_cap,
        preemption_bound=config.preemption_bound,
        deadline=deadline,
        slice_size=PROBE_SLICE,
        dfs_slice=PROBE_SLICE,
        bounded_cap=PROBE_SLICE,
    )


def probe(
    loaded: Target,
    scenario: Scenario,
    sched: Scheduler,
    config: Config,
    *,
    profile: str,
    deadline: float | None,
    ignore: frozenset[str],
    resume: ScenarioResult | None = None,
    on_schedule: Callable[[ScenarioResult], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> ScenarioResult:
    """One probe of a generated scenario: at most :data:`PROBE_SCHEDULES` schedules."""
    if isinstance(sched, Deadlined):
        sched.deadline = deadline
    return explore(
        loaded,
        scenario,
        sched,
        config,
        profile=profile,
        deadline=deadline,
        on_schedule=on_schedule,
        resume=resume,
        limit=PROBE_SCHEDULES,
        stop=stop,
        ignore=ignore,
    )


def shrinker(
    loaded: Target,
    config: Config,
    *,
    profile: str,
    scheduler: str,
    ignore: frozenset[str],
    scheduler_for=None,
) -> Callable[[Violation], Violation]:
    """A function giving a violation in a smallest scenario that still fails
    (:mod:`.shrink`): by count when ``config.max_schedules`` is set (deterministic), else by
    time (see the module docstring)."""
    by_count = config.max_schedules is not None

    def shrunk(violation: Violation) -> Violation:
        if by_count:
            end = None
            per_try = None
        else:
            end = _real_monotonic() + min(SHRINK_SECONDS, SHRINK_SHARE * config.budget)
            per_try = max(0.5, 3 * violation.seconds)

        def fails(candidate: Scenario) -> Violation | None:
            if loaded.capabilities.missing_for(candidate):
                return None
            deadline = None if end is None else min(end, _real_monotonic() + (per_try or 0))
            sched = probe_scheduler(scheduler, config, 0, deadline, scheduler_for)
            found = probe(
                loaded, candidate, sched, config, profile=profile, deadline=deadline, ignore=ignore
            )
            return found.violation

        scenario, smallest = shrink(
            violation.scenario,
            violation,
            fails,
            deadline=end,
            max_tries=SHRINK_TRIES if by_count else None,
        )
        if scenario is not violation.scenario:
            smallest.shrunk_from = violation.scenario
        return smallest

    return shrunk


class Shown:
    """Which failures are shown: the first per (kind, rule), shrunk (see the module
    docstring)."""

    def __init__(self, given: list[ScenarioResult], shrunk: Callable[[Violation], Violation]):
        self.seen = {(s.violation.kind, s.violation.rule) for s in given if s.violation}
        self.shrunk = shrunk
        self.indices: set[int] = set()

    def consider(self, index: int, found: ScenarioResult) -> None:
        """Generated scenario ``index`` has ``found``: shrink and mark it if it is new."""
        violation = found.violation
        if violation is None or index in self.indices:
            return
        what = (violation.kind, violation.rule)
        if what in self.seen:
            return
        found.violation = smallest = self.shrunk(violation)
        self.seen |= {what, (smallest.kind, smallest.rule)}
        self.indices.add(index)

    def results(
        self, found: dict[int, ScenarioResult], given: int, space: SpaceCoverage
    ) -> list[ScenarioResult]:
        """The results to show (the given scenarios', then the shown generated ones), counting
        every generated one in ``space``."""
        shown = []
        for i in sorted(found):
            if i < given:
                shown.append(found[i])
                continue
            space.add(found[i])
            if i in self.indices:
                shown.append(found[i])
        return shown
