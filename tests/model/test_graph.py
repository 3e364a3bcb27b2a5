"""The state graph: determinism, exports, analyses, and agreement with acceptance."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from barrierlab.model.accept import accept
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.graph import (
    blocked_forever,
    edge_coverage,
    shortest_path_to,
    state_graph,
    to_dot,
    to_graphml,
    to_json,
)
from barrierlab.model.moves import programs_of, random_trace
from barrierlab.model.spec import make_spec

PROGRAMS = programs_of(["wait reset", "wait(0.5) n_waiting", "abort wait"])


@pytest.mark.parametrize("profile", ["documented", "cpython"])
def test_the_same_arguments_give_the_same_graph(profile):
    a = to_json(state_graph(2, PROGRAMS, profile=profile, has_action=True))
    b = to_json(state_graph(2, PROGRAMS, profile=profile, has_action=True))
    assert a == b


def test_node_order_does_not_depend_on_the_hash_seed():
    code = (
        "from barrierlab.model.graph import state_graph, to_json;"
        "from barrierlab.model.moves import programs_of;"
        "print(to_json(state_graph(2, programs_of(['wait reset', 'wait(0.5) n_waiting',"
        " 'abort wait']), profile='cpython', has_action=True)))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def test_a_lonely_waiter_is_blocked_forever():
    G = state_graph(2, programs_of(["wait"]))
    regions = blocked_forever(G)
    assert len(regions) == 1
    (node,) = regions[0]
    assert G.nodes[node]["blocked"] and G.out_degree(node) == 0


def test_timeouts_and_full_generations_never_block_forever():
    for threads in (["wait(1)"], ["wait", "wait"], ["wait wait", "wait wait"]):
        assert blocked_forever(state_graph(2, programs_of(threads), has_action=True)) == []


def test_every_run_ends_in_a_done_or_blocked_state():
    G = state_graph(2, PROGRAMS, profile="cpython")
    for node in G:
        if G.out_degree(node) == 0:
            assert G.nodes[node]["done"] or G.nodes[node]["blocked"]


def _broken(node, data):
    """The spec describes the state as broken (labels read ``pcs ...: <description>``)."""
    return data["label"].split(": ", 1)[1].startswith("broken")


def test_shortest_path_to_a_broken_state():
    G = state_graph(2, PROGRAMS)
    path = shortest_path_to(G, _broken)
    assert path is not None and path[0] == 0
    assert all(G.has_edge(u, v) for u, v in itertools.pairwise(path))
    assert [_broken(n, G.nodes[n]) for n in path] == [False] * (len(path) - 1) + [True]
    distance = nx.single_source_shortest_path_length(G, 0)
    assert len(path) - 1 == min(distance[n] for n, d in G.nodes(data=True) if _broken(n, d))
    steps = [G.edges[u, v]["label"] for u, v in itertools.pairwise(path)]
    assert steps == ["t2 calls abort", "t2's abort takes effect"]
    assert shortest_path_to(G, lambda n, d: False) is None


@pytest.mark.parametrize("profile", ["documented", "cpython"])
def test_edges_used_by_traces_are_edges_of_the_graph(profile):
    G = state_graph(2, PROGRAMS, profile=profile, has_action=True)
    ids = {i for _, _, i in G.edges(data="id")}
    spec = make_spec(profile, 2, has_action=True)
    seen: set[str] = set()
    for seed in range(30):
        trace, complete = random_trace(spec, PROGRAMS, seed=seed, eager=0.5)
        v = accept(trace, parties=2, profile=profile, has_action=True, complete=complete)
        assert v.ok, v.message
        assert v.edges <= ids
        seen |= v.edges
    covered, total = edge_coverage(G, seen)
    assert 0 < covered <= total == G.number_of_edges()


def test_exports_parse():
    G = state_graph(2, programs_of(["wait", "wait(1)"]), has_action=True)
    dot = to_dot(G)
    assert dot.startswith("digraph spec {") and dot.count("->") == G.number_of_edges()
    root = ET.fromstring(to_graphml(G))
    assert root.tag.endswith("graphml")
    data = json.loads(to_json(G))
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()


def test_the_graph_grows_with_threads():
    sizes = [state_graph(2, programs_of(["wait"] * n)).number_of_nodes() for n in (1, 2, 3)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3


def test_bad_arguments_raise_invalid_argument():
    with pytest.raises(InvalidArgument):
        state_graph(0, PROGRAMS)
    with pytest.raises(InvalidArgument):
        state_graph(2, PROGRAMS, profile="java")
    with pytest.raises(InvalidArgument):
        state_graph(2, (((("jump", None),),)))
    with pytest.raises(InvalidArgument):
        state_graph(2, programs_of(["wait"] * 4), max_states=10)
