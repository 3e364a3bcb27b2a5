"""The generated scenario space: duplicate-free up to symmetry, complete within its bounds
(against brute force), ordered smallest first on each front, and lazy."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barrierlab.checker import strategies
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.synthesis import (
    ALPHABET,
    Bounds,
    _core,
    canonical,
    key,
    scenarios,
    size,
)
from barrierlab.checker.runtime.capabilities import Capabilities
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument

ACTIONS = ("none", "ok", "raise@1", "raise@2", "raise@3")
TIMEOUTS = (None, 0.0, 1.0)


def _brute_force(bounds: Bounds) -> set:
    """Every raw scenario within ``bounds`` (ordered threads, every value), canonicalized."""
    programs = [
        p for n in range(1, bounds.max_ops + 1) for p in itertools.product(ALPHABET, repeat=n)
    ]
    found = set()
    for threads in range(1, bounds.max_threads + 1):
        for chosen in itertools.product(programs, repeat=threads):
            for parties in range(1, bounds.max_parties + 1):
                for action in ACTIONS:
                    for timeout in TIMEOUTS:
                        c = canonical(Scenario("raw", parties, chosen, timeout, action))
                        if c is not None:
                            found.add(key(c))
    return found


@pytest.mark.parametrize(
    "bounds",
    [
        Bounds(max_parties=2, max_threads=3, max_ops=1),
        Bounds(max_parties=3, max_threads=1, max_ops=2),
    ],
    ids=str,
)
def test_enumeration_is_complete_and_duplicate_free_against_brute_force(bounds):
    listed = [key(s) for s in scenarios(bounds, exclude=())]
    assert len(listed) == len(set(listed)), "a symmetry class is enumerated twice"
    assert set(listed) == _brute_force(bounds)


OFFERS = {
    "wait-only": Capabilities(frozenset(), frozenset(), False, False, False, False),
    "no reset, no action": Capabilities(frozenset({"abort"}), action=False),
    "no timeouts": Capabilities(timeout=False, wait_timeout=False),
}


@pytest.mark.parametrize("offered", OFFERS.values(), ids=OFFERS.keys())
def test_a_targets_space_is_the_whole_space_it_can_take(offered):
    """Built from the target's own steps: exactly the scenarios of the whole space that it can
    take (none it cannot), and finite where the whole space is large."""
    bounds = Bounds(max_parties=2, max_threads=2, max_ops=2)
    own = [key(s) for s in scenarios(bounds, exclude=(), offered=offered)]
    whole = [s for s in scenarios(bounds, exclude=()) if not offered.missing_for(s)]
    assert len(own) == len(set(own))
    assert set(own) == {key(s) for s in whole}


def test_enumeration_excludes_the_catalogue_by_default():
    bounds = Bounds(max_parties=2, max_threads=2, max_ops=1)
    everything = {key(s) for s in scenarios(bounds, exclude=())}
    fresh = {key(s) for s in scenarios(bounds)}
    catalogue = {key(c) for s in SCENARIOS.values() if (c := canonical(s)) is not None}
    assert fresh == everything - catalogue
    assert everything & catalogue  # the bounds do hold some catalogue scenarios


def test_each_front_is_ordered_by_size_and_the_fronts_alternate():
    found = list(itertools.islice(scenarios(), 400))
    core = [size(s) for s in found if _core(s)]
    features = [size(s) for s in found if not _core(s)]
    assert core == sorted(core) and features == sorted(features)
    assert [_core(s) for s in found[:99]] == [True, True, False] * 33
    assert len({key(s) for s in found}) == len(found)


def test_the_shapes_the_catalogue_lacks_come_early():
    first = [s.to_args() for s in itertools.islice(scenarios(), 200)]
    for shape in (
        '--parties 2 --threads "wait(0)"',
        '--parties 2 --threads "wait" --timeout 0',
        '--parties 2 --threads "wait" "wait" "wait wait"',
        '--parties 2 --threads "wait wait" "wait wait wait"',
        '--parties 3 --threads "wait wait" "wait wait" "wait wait"',
    ):
        assert shape in first, shape


def test_useless_scenarios_are_skipped():
    assert canonical(Scenario.build("r", parties=2, threads=["n_waiting", "broken"])) is None
    # an action no generation can run, a failing generation that never comes
    assert canonical(Scenario.build("a", parties=2, threads=["wait"], action="ok")) is None
    assert canonical(Scenario.build("k", parties=1, threads=["wait"], action="raise@2")) is None
    # a constructor timeout no wait uses
    assert canonical(Scenario.build("t", parties=2, threads=["wait(1)"], timeout=1)) is None


@given(strategies.scenarios(), st.randoms(use_true_random=False))
def test_canonical_forgets_thread_order_and_is_idempotent(scenario, rnd):
    shuffled = list(scenario.programs)
    rnd.shuffle(shuffled)
    other = canonical(
        Scenario(
            "other", scenario.parties, tuple(shuffled), scenario.default_timeout, scenario.action
        )
    )
    assert other is not None and key(other) == key(scenario)
    assert key(canonical(scenario)) == key(scenario)


def test_a_lone_long_timeout_is_the_short_one():
    lone = canonical(Scenario.build("l", parties=2, threads=["wait(5)"]))
    assert lone.to_args() == '--parties 2 --threads "wait(1)"'
    both = canonical(Scenario.build("b", parties=2, threads=["wait(5)", "wait(1)"]))
    assert both.to_args() == '--parties 2 --threads "wait(1)" "wait(5)"'


def test_bad_bounds_are_invalid_arguments():
    with pytest.raises(InvalidArgument, match="--max-threads must be >= 1"):
        Bounds(max_threads=0)
