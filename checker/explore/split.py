"""One scenario's exhaustive search split into independent subtrees, by schedule prefix.

The DFS tree of a scenario is cut at ``depth`` choices: :func:`prefixes` lists every path of
the tree's top ``depth`` levels (each a tuple of ``(tid, timeout)`` keys, in DFS order; a path
that ends sooner, because the run had no more choices, is listed as it is). Each prefix is the
root of a subtree that a :class:`~barrierlab.checker.schedulers.prefixed.PrefixedScheduler`
over a DFS explores on its own, in any process; :func:`merge` puts the subtrees' results back
together in prefix order, so the merged result does not depend on which worker ran what, or
when.

The top levels are enumerated in full (no backtrack sets there), so together the subtrees
cover every schedule the unsplit search would, and their own DFS keeps its partial-order
reduction below the prefix (see the prefixed scheduler for why that stays sound). A check
splits with :func:`pieces`: the same enumeration with sleep sets, so a prefix that only
reorders commuting steps of one listed before is not a subtree of its own, and each subtree
starts with the sleep set the unsplit search would give it. Measured: ``threading.Barrier(1)``,
four threads calling ``wait``, cut at depth 3: 20 subtrees, 904 schedules in all against 888
unsplit (a race found in one subtree cannot add a branch to a state above the cut); every
prefix of :func:`prefixes` as a subtree would be 64 subtrees.

Listing the prefixes runs one schedule per inner node of the top of the tree (a run follows the
prefix, notes what is offered next, and finishes by taking the first option each time).

**Re-splitting.** Subtrees differ in size by orders of magnitude, so a static cut leaves
workers idle while one runs a big subtree. :func:`explore_piece` therefore explores a
:class:`Piece` for a *quantum* (``quantum`` schedules, or ``quantum_seconds`` when no schedule
cap is set) and, if the subtree is not done by then, gives away the untried branches of its
shallowest open state (:meth:`~barrierlab.checker.schedulers.dfs.DFSScheduler.split_off`, with
the sleep set each needs) and returns them, after the *continuation* (the search itself, to go
on where it paused), as new pieces for idle workers. The pieces of one task come back in the
order a single search would have explored them, so merging every part in that order (see
:func:`~barrierlab.checker.explore.parallel.check_parallel`) gives a result that depends only on
the quantum, not on who ran what or when. Under a schedule cap, the cap of a piece that splits
is shared out among its continuation and its branches (the first ones get the remainder), so a
subtree never runs more schedules than it would unsplit; a branch whose share is zero is not
run, and the result says the search was not exhaustive.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from barrierlab.checker.config import Config
from barrierlab.checker.explore.search import ScenarioResult, explore
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice, dependent
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.dpor import Key
from barrierlab.checker.schedulers.prefixed import PrefixedScheduler

__all__ = ["Part", "Piece", "explore_piece", "merge", "pieces", "prefixes"]

_real_monotonic = time.monotonic

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
    return [piece.prefix for piece in _walk(target, scenario, config, depth, reduce=False)]


def pieces(target: Target, scenario: Scenario, config: Config, depth: int) -> list[Piece]:
    """The subtrees of :func:`prefixes` that a search with sleep sets explores, in DFS order,
    each with the sleep set it starts with.

    The top levels are still explored in full (every option of every state, none left to a
    backtrack set, so no race across the cut is lost), but with sleep sets: once the subtrees
    under one option are listed, that option sleeps in the states below its later siblings
    until a step dependent with it is taken, and an option asleep is not a subtree of its
    own (every schedule it starts is equivalent to one listed before). Steps that commute
    at the top of the tree (the calls of a scenario's threads, say) then give one subtree,
    not one per order. Each piece's sleep set is the root sleep set of its DFS. Under a
    preemption bound every prefix is a piece (a schedule left to an equivalent sibling could
    be one the bound prunes there), each with an empty sleep set.
    """
    return _walk(target, scenario, config, depth, reduce=config.preemption_bound is None)


def _walk(
    target: Target, scenario: Scenario, config: Config, depth: int, *, reduce: bool
) -> list[Piece]:
    if depth < 0:
        raise ValueError("depth must be >= 0")
    found: list[Piece] = []

    def walk(prefix: Prefix, sleep: dict[Key, Choice]) -> None:
        if len(prefix) == depth:
            found.append(Piece(prefix, sleep))
            return
        offered = _offered_after(target, scenario, config, prefix)
        if offered is None:  # the run ended: a whole schedule
            found.append(Piece(prefix, sleep))
            return
        asleep = dict(sleep)
        for option in offered:
            if option.key in asleep:
                continue
            below = {k: c for k, c in asleep.items() if not dependent(c, option)}
            walk((*prefix, option.key), below)
            if reduce:
                asleep[option.key] = option

    walk((), {})
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


@dataclass
class Piece:
    """A subtree to explore: the choices that lead to it, the sleep set at its root, the most
    schedules it may run (None: no cap), or a paused search to go on with (``resume``)."""

    prefix: Prefix
    sleep: dict[Key, Choice] = field(default_factory=dict)
    allowance: int | None = None
    resume: DFSScheduler | None = None


@dataclass
class Part:
    """What one task explored, and the pieces it left to others (continuation first)."""

    result: ScenarioResult
    rest: list[Piece] = field(default_factory=list)


def _shares(total: int, parts: int) -> list[int]:
    """``total`` schedules shared by ``parts``, the first ones getting the remainder.

    >>> _shares(10, 3)
    [4, 3, 3]
    """
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def explore_piece(
    target: Target,
    scenario: Scenario,
    config: Config,
    piece: Piece,
    *,
    profile: str,
    deadline: float,
    stop: Callable[[], bool] | None = None,
    ignore: frozenset[str] = frozenset(),
    quantum: int | None = None,
    quantum_seconds: float | None = None,
) -> Part:
    """Explore ``piece`` until it is done, a violation turns up, ``deadline`` (a real
    ``time.monotonic()`` instant) passes, or a quantum ends with branches to give away."""
    dfs = piece.resume
    if dfs is None:
        dfs = DFSScheduler(
            preemption_bound=config.preemption_bound,
            max_schedules=piece.allowance,
            sleep=piece.sleep,
        )
    scheduler = PrefixedScheduler(piece.prefix, dfs)
    timed = quantum_seconds is not None and piece.allowance is None
    found: ScenarioResult | None = None
    while True:
        pause = _real_monotonic() + quantum_seconds if timed and quantum_seconds else None
        until = deadline if pause is None else min(deadline, pause)
        before = 0 if found is None else found.schedules
        found = explore(
            target,
            scenario,
            scheduler,
            config,
            profile=profile,
            deadline=until,
            stop=stop,
            limit=quantum,
            resume=found,
            ignore=ignore,
        )
        if found.violation is not None or dfs.complete or dfs.capped:
            return Part(found)
        if stop is not None and stop():
            return Part(found)
        used_quantum = quantum is not None and found.schedules - before >= quantum
        if not used_quantum and (pause is None or _real_monotonic() < pause or pause >= deadline):
            return Part(found)  # the task's own time is up
        given = dfs.split_off()
        if given:
            break
    rest = [Piece(piece.prefix, resume=dfs)]
    rest += [Piece((*piece.prefix, *path), sleep) for path, sleep in given]
    found.exhaustive = True  # what is left is in ``rest``
    if dfs.max_schedules is not None:
        shares = _shares(dfs.max_schedules - dfs.schedules, len(rest))
        dfs.max_schedules = dfs.schedules + shares[0]
        for one, share in zip(rest[1:], shares[1:], strict=True):
            one.allowance = share
        kept = [rest[0], *(p for p in rest[1:] if p.allowance)]
        found.exhaustive = len(kept) == len(rest) and shares[0] > 0
        rest = kept if shares[0] > 0 else kept[1:]
    return Part(found, rest)
