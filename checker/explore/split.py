"""One scenario's exhaustive search split into independent subtrees, by schedule prefix.

The DFS tree of a scenario is cut at ``depth`` choices: :func:`prefixes` lists every path of
the tree's top ``depth`` levels (each a tuple of ``(tid, timeout)`` keys, in DFS order; a path
that ends sooner, because the run had no more choices, is listed as it is). Each prefix is the
root of a subtree that a :class:`~barrierlab.checker.schedulers.prefixed.PrefixedScheduler`
over a DFS explores on its own, in any process; :func:`merge` puts the subtrees' results back
together in prefix order, so the merged result does not depend on which worker ran what, or
when.

The top levels are enumerated in full (no reduction there), so together the subtrees cover
every schedule the unsplit search would, and their own DFS keeps its partial-order reduction
below the prefix (see the prefixed scheduler for why that stays sound). The price is some
schedules that an unsplit search would have pruned near the root; the gain is that the subtrees
run side by side.

Listing the prefixes runs one schedule per inner node of the top of the tree (a run follows the
prefix, notes what is offered next, and finishes by taking the first option each time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import ScenarioResult
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice
from barrierlab.checker.schedulers.prefixed import PrefixedScheduler

__all__ = ["Prefix", "merge", "prefixes"]

#: A schedule prefix: the ``(tid, timeout)`` key of each of its first choices.
Prefix = tuple[tuple[int, bool], ...]


class _Probe:
    """Behind a prefix: notes what is offered first, then takes the first option each time."""

    name = "probe"
    exhaustive = False

    def __init__(self) -> None:
        self.offered: tuple[Choice, ...] | None = None

    def start(self) -> bool:
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        if self.offered is None:
            self.offered = tuple(options)
        return options[0]

    def finish(self, cut_short: bool = False) -> None:
        pass


def _offered_after(target: Target, scenario: Scenario, config: Config, prefix: Prefix):
    probe = _Probe()
    scheduler = PrefixedScheduler(prefix, probe)
    scheduler.start()
    result = run_once(target, scenario, scheduler, config)
    scheduler.finish(result.cut_short)
    return probe.offered


def prefixes(target: Target, scenario: Scenario, config: Config, depth: int) -> list[Prefix]:
    """Every path of the top ``depth`` levels of the scenario's schedule tree, in DFS order."""
    if depth < 0:
        raise ValueError("depth must be >= 0")
    found: list[Prefix] = []

    def walk(prefix: Prefix) -> None:
        if len(prefix) == depth:
            found.append(prefix)
            return
        offered = _offered_after(target, scenario, config, prefix)
        if offered is None:  # the run ended: a whole schedule
            found.append(prefix)
            return
        for option in offered:
            walk((*prefix, option.key))

    walk(())
    return found


def merge(scenario: Scenario, parts: Sequence[ScenarioResult]) -> ScenarioResult:
    """The result of the whole scenario from its subtrees' results, given in prefix order.

    Counts add up; the search is exhaustive when every subtree's was; the violation shown is
    the first subtree's that has one (its ``schedules`` counts the earlier subtrees' too).
    """
    merged = ScenarioResult(scenario)
    merged.outcomes = Counter()
    before = 0
    for part in parts:
        merged.steps += part.steps
        merged.rules |= part.rules
        merged.edges |= part.edges
        merged.outcomes.update(part.outcomes)
        merged.seconds += part.seconds
        if merged.violation is None and part.violation is not None:
            merged.violation = part.violation
            merged.violation.schedules += before
        before += part.schedules
    merged.schedules = before
    merged.exhaustive = bool(parts) and all(p.exhaustive for p in parts)
    return merged
