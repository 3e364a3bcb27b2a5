"""Exploring one scenario completely, to compare searches (soundness of footprints and DPOR).

:func:`explore_all` runs a :class:`~barrierlab.checker.schedulers.dfs.DFSScheduler` to the end
and keeps every distinct observable outcome: the trace, the run's outcome and the verdict.
:func:`classes` counts the Mazurkiewicz classes among a search's runs: two runs are equivalent
when they take the same steps per thread and order every pair of dependent steps alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import judge
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import dependent, report_blocked
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.model.events import Call, Raise, Return

__all__ = ["Exploration", "canonical", "classes", "explore_all"]


@dataclass
class Exploration:
    """What one complete search saw."""

    schedules: int = 0
    redundant: int = 0
    exhaustive: bool = False
    #: (trace, run outcome, verdict kind and rule, the same under the cpython profile)
    outcomes: set = field(default_factory=set)
    runs: list = field(default_factory=list)  # the steps of every run as they ran (when kept)

    @property
    def verdicts(self) -> set:
        return {tuple(outcome) for _, *outcome in self.outcomes}

    @property
    def traces(self) -> set:
        """The traces seen, each in :func:`canonical` form."""
        return {canonical(trace) for trace, *_ in self.outcomes}


def canonical(trace) -> tuple:
    """``trace`` with each run of adjacent calls, and of adjacent returns (or raises), sorted
    by thread: the order within such a run is one linearizability cannot see, so the search
    with footprints does not tell such traces apart (see Footprint.records)."""
    out: list = []
    run: list = []
    kind = None
    for event in trace:
        k = (
            "call"
            if isinstance(event, Call)
            else "return"
            if isinstance(event, (Return, Raise))
            else None
        )
        if k != kind or k is None:
            out += sorted(run, key=lambda e: e.tid)
            run = []
        kind = k
        run.append(event)
    out += sorted(run, key=lambda e: e.tid)
    return tuple(out)


def explore_all(
    spec: str,
    scenario: Scenario,
    *,
    line_level: bool = True,
    footprints: bool = True,
    reduction: bool = True,
    cap: int = 100_000,
    keep_runs: bool = False,
    profile: str = "documented",
) -> Exploration:
    """Run DFS on ``scenario`` until it is exhausted (or ``cap`` schedules)."""
    target = load_target(spec)
    # A generous watchdog: on a loaded machine a slow step must not cut a run short.
    config = Config(line_level=line_level, footprints=footprints, watchdog=30.0)
    dfs = DFSScheduler(reduction=reduction)
    found = Exploration()
    while found.schedules < cap and dfs.start():
        result = run_once(target, scenario, dfs, config)
        report_blocked(dfs, result.pending)
        if keep_runs:  # as they ran: a step that read no time commutes with a timeout
            found.runs.append(dfs.last_run)
        dfs.finish(not result.finished)
        found.schedules += 1
        judgement = judge(result, scenario, profile)
        # Judged under the cpython profile too: its rules pin orders the documented one
        # leaves open, so it would see any order the reduction failed to keep.
        strict = judge(result, scenario, "cpython")
        found.outcomes.add(
            (
                result.trace,
                str(result.outcome),
                judgement.kind and str(judgement.kind),
                judgement.rule,
                strict.kind and str(strict.kind),
                strict.rule,
            )
        )
    found.exhaustive = dfs.exhaustive
    found.redundant = dfs.redundant
    return found


def classes(runs) -> int:
    """The number of Mazurkiewicz classes among ``runs`` (sequences of executed choices)."""
    seen = set()
    for choices in runs:
        counts: dict[int, int] = {}
        ids = []
        for c in choices:
            k = counts.get(c.tid, 0)
            counts[c.tid] = k + 1
            ids.append((c.tid, k, c.timeout, c.access))
        order = frozenset(
            (ids[i], ids[j])
            for i in range(len(choices))
            for j in range(i + 1, len(choices))
            if choices[i].tid != choices[j].tid and dependent(choices[i], choices[j])
        )
        seen.add((frozenset(ids), order))
    return len(seen)
