"""A bounded space of scenarios, enumerated lazily, smallest first, without repeats.

The catalogue (:mod:`.scenario_catalogue`) holds twenty scenarios somebody thought of; a bug
that needs another shape (a zero timeout, a third generation, three threads and four waits with
``parties=2``) slips past it. This module enumerates *every* scenario within bounds, so a check
can go on where the catalogue stops:

* ``parties`` from 1 to ``max_parties``; 1 to ``max_threads`` threads; 1 to ``max_ops`` steps
  per thread, each from the alphabet :data:`ALPHABET` (``wait`` without a timeout, with a zero,
  a short and a long one; ``reset``, ``abort``; reads of ``n_waiting``, ``broken``, ``parties``);
* the action: none, one that returns, one that raises on generation ``k``;
* the constructor's timeout: none, 0, short.

**Symmetry.** Threads are interchangeable, so the programs are a sorted multiset. Timeouts
matter by class, not by value: none, zero, short (:data:`SHORT`) and long (:data:`LONG`); a
long timeout only differs from a short one when a short one is there to race it, so a scenario
whose only timeouts are long is the same as the one with them short, and only the latter is
enumerated. These are renamings under which the spec's state graph is the same.

**Useless scenarios** are skipped, each by a cheap sufficient condition: no thread calls
``wait``, ``reset`` or ``abort`` (only reads); an action although no generation can fill up
(fewer waits, or fewer threads, than ``parties``: a thread arrives once per generation, so it
would never run); ``raise@K`` with more generations than the waits can fill; a constructor
timeout without a plain ``wait`` to use it. Steps that can never run are cut: with more
parties than threads and nothing that breaks the barrier (no timeout, reset or abort), every
step after a thread's first ``wait`` (so ``parties=3`` with ``"wait wait"`` is ``"wait"``).

**Order.** A scenario's *size* is a weighted count: one per thread (and two more for each
thread beyond ``parties + 1``: a crowd adds interleavings more than behaviours), one per step
plus a surcharge for the rarer steps (:data:`OP_COST`), the parties (:func:`_party_cost`:
``parties - 1``, but 2 for a single party, whose threads never meet, so that a shape is tried
with two parties before one), and a little for an
action and a constructor timeout (:func:`size`). Two fronts advance in turns, each by increasing
size (see :func:`scenarios`): the core protocol (plain waits, two scenarios a turn) and the
features (everything else, one a turn). The order is fixed (deterministic), so a prefix of
the space is the same on every run.

>>> space = scenarios(Bounds(max_parties=2, max_threads=2, max_ops=1))
>>> [s.to_args() for s in itertools.islice(space, 4)]
['--parties 2 --threads "wait"', '--parties 1 --threads "wait"', \
'--parties 2 --threads "wait(0)"', '--parties 2 --threads "wait" "wait"']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.runtime.capabilities import Capabilities
from barrierlab.checker.scenario import Scenario, Step
from barrierlab.model.errors import InvalidArgument

__all__ = [
    "ALPHABET",
    "LONG",
    "OP_COST",
    "SHORT",
    "Bounds",
    "canonical",
    "key",
    "offered_parts",
    "scenario_strategy",
    "scenarios",
    "size",
]

#: The two timeout values: only their order matters under virtual time.
SHORT, LONG = 1.0, 5.0
#: Every step a generated program is made of.
ALPHABET: tuple[Step, ...] = (
    Step("wait"),
    Step("wait", 0.0),
    Step("wait", SHORT),
    Step("reset"),
    Step("abort"),
    Step("n_waiting"),
    Step("broken"),
    Step("wait", LONG),
    Step("parties"),
)
#: The size of each step: plain waits are cheapest; a long timeout (only useful beside a
#: short one) and the constant ``parties`` read are the rarest.
OP_COST: dict[Step, int] = {
    Step("wait"): 1,
    Step("wait", 0.0): 3,
    Step("wait", SHORT): 3,
    Step("reset"): 3,
    Step("abort"): 3,
    Step("n_waiting"): 3,
    Step("broken"): 3,
    Step("wait", LONG): 4,
    Step("parties"): 4,
}
_TIMEOUTS: tuple[float | None, ...] = (None, 0.0, SHORT)
_ACTING = ("reset", "abort")


@dataclass(frozen=True)
class Bounds:
    """The limits of the space (the ``--max-*`` options of ``barrierlab check``)."""

    max_parties: int = 3
    max_threads: int = 4
    max_ops: int = 3

    def __post_init__(self) -> None:
        for name in ("max_parties", "max_threads", "max_ops"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise InvalidArgument(f"--{name.replace('_', '-')} must be >= 1, got {value!r}")

    def admits(self, scenario: Scenario) -> bool:
        """True when ``scenario``'s shape is within these bounds."""
        return (
            scenario.parties <= self.max_parties
            and scenario.n_threads <= self.max_threads
            and all(len(p) <= self.max_ops for p in scenario.programs)
        )


def _waits(programs: Iterable[tuple[Step, ...]]) -> int:
    return sum(s.op == "wait" for p in programs for s in p)


def _action_cost(action: str) -> int:
    if action == "none":
        return 0
    if action == "ok":
        return 2
    return 2 + max(int(k) for k in action.removeprefix("raise@").split(","))


def size(scenario: Scenario) -> int:
    """The weighted size that orders the space (see the module docstring).

    >>> size(Scenario.build("s", parties=2, threads=["wait", "wait wait(0)"]))
    8
    """
    steps = sum(OP_COST.get(_classed(s), 3) for p in scenario.programs for s in p)
    return (
        scenario.n_threads
        + _crowd(scenario.parties, scenario.n_threads)
        + steps
        + _party_cost(scenario.parties)
        + _action_cost(scenario.action)
        + 2 * (scenario.default_timeout is not None)
    )


def _classed(step: Step) -> Step:
    """``step`` with its timeout reduced to its class (zero, short, long)."""
    if step.op != "wait" or step.timeout is None or step.timeout in (0.0, SHORT, LONG):
        return step
    return Step("wait", 0.0 if step.timeout == 0 else SHORT)


def key(scenario: Scenario) -> tuple:
    """What identifies a scenario here: everything but its name and the order of its threads."""
    programs = tuple(sorted(tuple(map(str, p)) for p in scenario.programs))
    return (scenario.parties, programs, scenario.default_timeout, scenario.action)


def canonical(scenario: Scenario) -> Scenario | None:
    """The representative of ``scenario``'s class, or None when it is useless.

    Threads are sorted; a scenario whose only timeouts are long gets them short (the order of
    expiries is all that matters, and there is nothing to order them against).

    >>> canonical(Scenario.build("x", parties=2, threads=["wait(5)", "reset"])).to_args()
    '--parties 2 --threads "reset" "wait(1)"'
    >>> canonical(Scenario.build("x", parties=2, threads=["n_waiting", "broken"])) is None
    True
    """
    programs = [tuple(_classed(s) for s in p) for p in scenario.programs]
    timeouts = {s.timeout for p in programs for s in p if s.op == "wait"}
    if scenario.default_timeout is not None:
        timeouts.add(0.0 if scenario.default_timeout == 0 else SHORT)
    if LONG in timeouts and SHORT not in timeouts:
        programs = [
            tuple(Step("wait", SHORT) if s == Step("wait", LONG) else s for s in p)
            for p in programs
        ]
    default = scenario.default_timeout
    if default is not None:
        default = 0.0 if default == 0 else SHORT
    if not any(s.op == "wait" or s.op in _ACTING for p in programs for s in p):
        return None
    if default is not None and not any(s == Step("wait") for p in programs for s in p):
        return None
    # A thread arrives once per generation (it blocks until the generation ends), so with
    # more parties than threads no generation fills: a plain wait returns only if something
    # breaks the barrier; with nothing that can, the steps after it never run.
    fills = scenario.parties <= len(programs)
    breaks = default is not None or any(
        s.op in _ACTING or (s.op == "wait" and s.timeout is not None) for p in programs for s in p
    )
    if not fills and not breaks:
        programs = [p[: p.index(Step("wait")) + 1] if Step("wait") in p else p for p in programs]
    generations = _waits(programs) // scenario.parties if fills else 0
    if scenario.action != "none":
        if generations == 0:
            return None
        if scenario.action_raises_on and max(scenario.action_raises_on) > generations:
            return None
    ordered = tuple(sorted(programs, key=lambda p: tuple(map(str, p))))
    return Scenario(
        _name(scenario.parties, ordered, default, scenario.action),
        scenario.parties,
        ordered,
        default,
        scenario.action,
    )


def _name(parties: int, programs, timeout, action) -> str:
    head = f"p{parties}"
    if timeout is not None:
        head += f" timeout={timeout:g}"
    if action != "none":
        head += f" action={action}"
    return head + ": " + " | ".join(" ".join(map(str, p)) for p in programs)


def _programs(max_ops: int, alphabet) -> list[tuple[tuple[Step, ...], int]]:
    """Every program within ``max_ops`` steps with its cost (1 for the thread + its steps)."""
    found = [
        (p, 1 + sum(OP_COST[s] for s in p))
        for n in range(1, max_ops + 1)
        for p in itertools.product(alphabet, repeat=n)
    ]
    return sorted(found, key=lambda pc: (pc[1], [ALPHABET.index(s) for s in pc[0]]))


def _multisets(programs, budget: int, threads: int, start: int = 0):
    """Sorted tuples of exactly ``threads`` programs (indices >= ``start``) costing exactly
    ``budget``."""
    if threads == 0:
        if budget == 0:
            yield ()
        return
    for i in range(start, len(programs)):
        program, cost = programs[i]
        if cost > budget:
            break  # sorted by cost: nothing further fits
        for rest in _multisets(programs, budget - cost, threads - 1, i):
            yield (program, *rest)


def _party_cost(parties: int) -> int:
    """What ``parties`` adds to a scenario's size: ``parties - 1``, and 2 for one party."""
    return 2 if parties == 1 else parties - 1


def _crowd(parties: int, threads: int) -> int:
    """The surcharge on threads beyond ``parties + 1``: 2 each."""
    return 2 * max(0, threads - parties - 1)


def scenario_strategy(bounds: Bounds = Bounds()):
    """A Hypothesis strategy of scenarios within ``bounds`` (the public face is
    :func:`barrierlab.checker.strategies.scenarios`): every draw is :func:`canonical`, a
    useless draw is repaired (a ``wait`` added, an action that could never run dropped), and
    draws shrink towards fewer threads and steps, fewer parties, no action and no timeout."""
    from hypothesis import strategies as st

    @st.composite
    def draw_scenario(draw: Any) -> Scenario:
        parties = draw(st.integers(1, bounds.max_parties))
        program = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=bounds.max_ops)
        programs = draw(st.lists(program, min_size=1, max_size=bounds.max_threads))
        action = draw(
            st.sampled_from(("none", "ok")) | st.integers(1, 3).map(lambda k: f"raise@{k}")
        )
        timeout = draw(st.sampled_from((None, 0.0, SHORT)))
        steps = [step for p in programs for step in p]
        if not any(step.op in ("wait", "reset", "abort") for step in steps):
            programs[0] = [Step("wait"), *programs[0][: bounds.max_ops - 1]]
            steps = [step for p in programs for step in p]
        programs = tuple(map(tuple, programs))
        for act, default in ((action, timeout), ("ok", timeout), ("none", timeout), ("none", None)):
            found = canonical(Scenario("drawn", parties, programs, default, act))
            if found is not None:
                return found
        raise AssertionError(f"no useful scenario from {programs}")  # pragma: no cover

    return draw_scenario()


def _core(scenario: Scenario) -> bool:
    """True for a scenario of the core protocol: plain waits only, no timeout, no action."""
    return (
        scenario.default_timeout is None
        and scenario.action == "none"
        and all(s == Step("wait") for p in scenario.programs for s in p)
    )


def _by_size(bounds: Bounds, skip: set, alphabet, actions, timeouts, keep) -> Iterator[Scenario]:
    programs = _programs(bounds.max_ops, alphabet)
    biggest = bounds.max_threads * (1 + bounds.max_ops * max(OP_COST.values()))
    biggest += bounds.max_parties + 2 + max(map(_action_cost, actions)) + 2
    biggest += _crowd(1, bounds.max_threads)
    for total in range(1, biggest + 1):
        for parties in range(1, bounds.max_parties + 1):
            for action in actions:
                for timeout in timeouts:
                    rest = total - _party_cost(parties) - _action_cost(action)
                    rest -= 2 * (timeout is not None)
                    if rest < 1:
                        continue
                    for chosen in (
                        c
                        for k in range(1, bounds.max_threads + 1)
                        for c in _multisets(programs, rest - _crowd(parties, k), k)
                    ):
                        candidate = Scenario("", parties, chosen, timeout, action)
                        found = canonical(candidate)
                        if found is None or key(found) != key(candidate) or not keep(found):
                            continue
                        if key(found) not in skip:
                            yield found


def offered_parts(offered: Capabilities | None) -> tuple[tuple, tuple, tuple]:
    """The steps, actions and constructor timeouts the space of a target with capabilities
    ``offered`` is built from (None: all of them)."""
    actions = ("none", "ok", *(f"raise@{k}" for k in range(1, 4)))
    if offered is None:
        return ALPHABET, actions, _TIMEOUTS
    return (
        tuple(s for s in ALPHABET if offered.takes(s)),
        actions if offered.action else ("none",),
        _TIMEOUTS if offered.timeout else (None,),
    )


def scenarios(
    bounds: Bounds = Bounds(),
    *,
    exclude: Iterable[Scenario] | None = None,
    offered: Capabilities | None = None,
) -> Iterator[Scenario]:
    """Every useful scenario within ``bounds``, one per symmetry class, smallest first.

    Two fronts advance in turns, each by increasing :func:`size`: the *core* protocol (plain
    waits only, no timeout, no action: release, indices and reuse, which need many waits to
    go wrong), two scenarios a turn, and *features* (everything else: timeouts, reset,
    abort, reads, actions, which need few steps but the right mix), one a turn. So deep
    shapes of plain waits (``parties=3``, three threads of two waits: the 40th scenario) are
    reached early although the feature front is far larger. ``exclude``: scenarios not to
    yield (by default the catalogue's, which a check runs anyway). ``offered``: only the
    scenarios a target with these capabilities can take, built from the steps it offers (a
    wait-only barrier's space is its 90 scenarios of plain waits, not the whole space
    sifted); None: every scenario.

    >>> from barrierlab.checker.runtime.capabilities import Capabilities
    >>> wait_only = Capabilities(frozenset(), frozenset(), False, False, False, False)
    >>> len(list(scenarios(offered=wait_only)))
    90
    """
    skip = {key(s) for s in (SCENARIOS.values() if exclude is None else exclude)}
    alphabet, actions, timeouts = offered_parts(offered)
    core = _by_size(bounds, skip, (Step("wait"),), ("none",), (None,), _core)
    features = _by_size(bounds, skip, alphabet, actions, timeouts, lambda s: not _core(s))
    turns = itertools.zip_longest(core, core, features)  # two core scenarios per feature one
    for turn in turns:
        yield from (s for s in turn if s is not None)
