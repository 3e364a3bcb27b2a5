"""Generated scenarios with the same spec state graph up to renaming run once: the space is
duplicate-free up to that and complete within its bounds (against brute force), and the
canonical form agrees with networkx's isomorphism test."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from barrierlab.checker import strategies
from barrierlab.checker.explore.generated import _Space
from barrierlab.checker.explore.spec_classes import SpecClasses, canonical_form, signature
from barrierlab.checker.explore.synthesis import ALPHABET, Bounds, canonical, key, scenarios
from barrierlab.checker.runtime.capabilities import FULL
from barrierlab.checker.scenario import Scenario
from barrierlab.model.graph import state_graph

ACTIONS = ("none", "ok", "raise@1", "raise@2", "raise@3")
TIMEOUTS = (None, 0.0, 1.0)


def _raw(bounds: Bounds):
    """Every raw scenario within ``bounds``: threads in every order, every value."""
    programs = [
        p for n in range(1, bounds.max_ops + 1) for p in itertools.product(ALPHABET, repeat=n)
    ]
    for threads in range(1, bounds.max_threads + 1):
        for chosen in itertools.product(programs, repeat=threads):
            for parties in range(1, bounds.max_parties + 1):
                for action in ACTIONS:
                    for timeout in TIMEOUTS:
                        yield Scenario("raw", parties, chosen, timeout, action)


@pytest.mark.parametrize(
    "bounds",
    [
        Bounds(max_parties=2, max_threads=2, max_ops=1),
        Bounds(max_parties=3, max_threads=1, max_ops=2),
    ],
    ids=str,
)
def test_the_space_is_duplicate_free_and_complete_up_to_spec_graphs(bounds):
    listed = [signature(s, "documented") for s in _Space(bounds, [], "documented", FULL)]
    assert None not in listed  # small bounds: every graph is compared
    assert len(listed) == len(set(listed)), "two scenarios with the same spec graph"
    classes = {key(c): c for raw in _raw(bounds) if (c := canonical(raw)) is not None}
    brute = {signature(c, "documented") for c in classes.values()}
    assert set(listed) == brute


def test_repeats_are_dropped_and_the_smallest_of_a_class_stays():
    bounds = Bounds(max_parties=2, max_threads=2, max_ops=3)
    listed = [s.to_args() for s in itertools.islice(_Space(bounds, [], "documented", FULL), 300)]
    # the steps after a wait no one releases never run: the shorter program stands for both
    assert '--parties 2 --threads "wait"' in listed
    assert '--parties 2 --threads "wait broken"' not in listed
    assert '--parties 2 --threads "wait wait(0)"' not in listed
    # a timeout makes the steps after it run: kept
    assert '--parties 2 --threads "wait(0) broken"' in listed


def test_what_the_target_sees_differently_is_never_merged():
    classes = SpecClasses("documented")
    for scenario in (
        Scenario.build("a", parties=2, threads=["wait(0)"]),
        Scenario.build("b", parties=2, threads=["wait(1)"]),  # another timeout value
        Scenario.build("c", parties=2, threads=["wait"], timeout=0),  # a default timeout
        Scenario.build("d", parties=2, threads=["wait"], timeout=1),
        Scenario.build("e", parties=1, threads=["wait"], action="ok"),
        Scenario.build("f", parties=1, threads=["wait"], action="raise@1"),  # another action
    ):
        assert classes.add(scenario), scenario.to_args()


def _anonymous(G: nx.DiGraph) -> nx.DiGraph:
    """``G`` with thread names out of its edge labels (a weaker renaming than the form's)."""
    H = nx.DiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, flags=(n == 0, d["blocked"], d["done"]))
    for u, v, label in G.edges(data="label"):
        parts = sorted(re.sub(r"\bt\d+\b", "t", p) for p in label.split("; "))
        H.add_edge(u, v, label="; ".join(parts))
    return H


def test_equal_forms_are_isomorphic_graphs_by_networkx():
    by_form: dict = {}
    for s in itertools.islice(scenarios(Bounds(max_parties=2, max_threads=2), exclude=()), 400):
        if s.default_timeout is not None or s.action != "none":
            continue
        G = state_graph(s.parties, s.model_programs())
        by_form.setdefault(canonical_form(G, s.n_threads), []).append(G)
    pairs = 0
    for graphs in by_form.values():
        for a, b in itertools.combinations(graphs[:3], 2):  # the same class: isomorphic
            pairs += 1
            assert nx.is_isomorphic(
                _anonymous(a),
                _anonymous(b),
                node_match=lambda x, y: x["flags"] == y["flags"],
                edge_match=lambda x, y: x["label"] == y["label"],
            )
    assert pairs >= 1


@given(strategies.scenarios(max_threads=3), st.randoms(use_true_random=False))
def test_the_form_forgets_the_order_of_threads(scenario, rnd):
    shuffled = list(scenario.programs)
    rnd.shuffle(shuffled)
    other = Scenario(
        "other", scenario.parties, tuple(shuffled), scenario.default_timeout, scenario.action
    )
    assert signature(other, "documented") == signature(scenario, "documented")
