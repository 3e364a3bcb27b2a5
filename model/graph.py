"""The state graph of the spec for given thread programs, its exports and its analyses.

:func:`state_graph` explores every move of the spec (internal steps, returns, raises, action
events, each thread's next call) from the empty barrier and returns a :class:`networkx.DiGraph`.
Node ``0`` is the initial state and nodes are numbered in breadth-first order, with moves taken
in the spec's fixed order, so the same arguments always give the same graph. Time is abstract:
a wait with a timeout may time out at any point after it arrived.

Node attributes: ``key`` (the state's key, as :func:`~barrierlab.model.spec.state_key`),
``label`` (a readable summary), ``pcs`` (how many program steps each thread has called),
``blocked`` (some thread has a call pending) and ``done`` (every thread finished its program).
Edge attributes: ``label`` (the step, or steps, from one state to the other), ``rules`` (the
rule IDs those steps are transitions of, comma separated) and ``id``, the same label
:func:`barrierlab.model.accept.edge_id` gives the edges a trace used; hence
:func:`edge_coverage`. An edge that only an outside event takes (the ``asyncio`` profile's
cancellations and expiring timeouts, :meth:`~barrierlab.model.spec.Spec.interruptions`) also
has ``interrupt=True``; :func:`blocked_forever` does not count it as a way out.

The analyses are plain functions, graph first, in the style of networkx.

>>> G = state_graph(2, ((("wait", None),), (("wait", None),)))
>>> G.number_of_nodes(), G.number_of_edges()
(14, 20)
>>> blocked_forever(G)
[]
>>> G1 = state_graph(2, ((("wait", None),),))  # one thread never meets a second
>>> [sorted(c) for c in blocked_forever(G1)]
[[2]]
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from barrierlab.model.accept import edge_id
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.moves import Programs, check_programs, moves
from barrierlab.model.spec import make_spec, state_key

__all__ = [
    "blocked_forever",
    "edge_coverage",
    "shortest_path_to",
    "state_graph",
    "to_dot",
    "to_graphml",
    "to_json",
]

#: A graph larger than this raises InvalidArgument (choose fewer threads or parties).
MAX_STATES = 200_000


def state_graph(
    parties: int,
    programs: Programs,
    *,
    profile: str = "documented",
    default_timeout: float | None = None,
    has_action: bool = False,
    max_states: int = MAX_STATES,
) -> nx.DiGraph:
    """The reachable spec states of ``programs`` on a barrier of ``parties``, as a DiGraph.

    ``programs`` gives each thread's steps as ``(op, timeout)`` pairs (what
    ``Scenario.model_programs()`` returns). With ``has_action`` the action may return or
    raise at every generation.

    >>> G = state_graph(1, ((("wait", None), ("n_waiting", None)),), profile="cpython")
    >>> [G.nodes[n]["label"] for n in nx.topological_sort(G)][:2]
    ['pcs 0: filling, 0/1 arrived', 'pcs 1: filling, 0/1 arrived; t0 called wait']
    """
    spec = make_spec(profile, parties, has_action=has_action, default_timeout=default_timeout)
    programs = check_programs(programs)
    n = len(programs)
    root = ((0,) * n, spec.initial(n))
    G = nx.DiGraph(
        parties=parties,
        profile=profile,
        has_action=has_action,
        default_timeout="none" if default_timeout is None else default_timeout,
        threads=n,
    )
    ids = {root: 0}
    _add_node(G, 0, root, spec, programs)
    queue = deque([root])
    while queue:
        node = queue.popleft()
        u = ids[node]
        pcs, s = node
        outside = set(spec.interruptions(s))
        for step, event, pcs2, t in moves(spec, programs, pcs, s):
            interrupt = event in outside
            dst = (pcs2, t)
            v = ids.get(dst)
            if v is None:
                if len(ids) >= max_states:
                    raise InvalidArgument(
                        f"the state graph exceeds {max_states} states: use fewer threads, "
                        "shorter programs or fewer parties"
                    )
                v = ids[dst] = len(ids)
                _add_node(G, v, dst, spec, programs)
                queue.append(dst)
            if G.has_edge(u, v):
                data = G.edges[u, v]
                if step.text not in data["label"].split("; "):
                    data["label"] += "; " + step.text
                rules = set(data["rules"].split(",")) | set(map(str, step.rules))
                data["rules"] = ",".join(sorted(rules))
                if not interrupt:
                    data.pop("interrupt", None)  # a way out without any outside event
            else:
                G.add_edge(
                    u,
                    v,
                    label=step.text,
                    rules=",".join(sorted(set(map(str, step.rules)))),
                    id=edge_id(s, pcs, t, pcs2),
                    **({"interrupt": True} if interrupt else {}),
                )
    return G


def _add_node(G: nx.DiGraph, v: int, node: Any, spec: Any, programs: Programs) -> None:
    pcs, s = node
    pending = any(st is not None for st in s.threads)
    done = not pending and all(pc == len(p) for pc, p in zip(pcs, programs, strict=True))
    pc = ",".join(map(str, pcs))
    G.add_node(
        v,
        key=state_key(s, pcs),
        label=f"pcs {pc}: {spec.describe(s)}",
        pcs=pc,
        blocked=pending,
        done=done,
    )


def blocked_forever(G: nx.DiGraph) -> list[frozenset[int]]:
    """The deadlock regions of ``G``: attracting components where threads stay blocked.

    An attracting component is one no edge leaves; if some state in it has a call pending,
    that call can never complete. Edges marked ``interrupt`` (a cancellation, an expiring
    asyncio timeout) do not count: a task that only a cancellation can get out is blocked
    forever as far as the barrier goes. Returned sorted by smallest node.

    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([(0, {"blocked": False}), (1, {"blocked": True}), (2, {"blocked": False})])
    >>> G.add_edges_from([(0, 1), (0, 2)])
    >>> blocked_forever(G)
    [frozenset({1})]
    """
    own = nx.subgraph_view(G, filter_edge=lambda u, v: not G.edges[u, v].get("interrupt"))
    regions = [
        frozenset(c)
        for c in nx.attracting_components(own)
        if any(G.nodes[v].get("blocked") for v in c)
    ]
    return sorted(regions, key=min)


def shortest_path_to(
    G: nx.DiGraph, predicate: Callable[[int, dict[str, Any]], bool], source: int = 0
) -> list[int] | None:
    """A shortest path from ``source`` to a node whose ``predicate(node, data)`` holds.

    Ties are broken by node number (the graph's breadth-first order). None if no such node is
    reachable.

    >>> G = nx.DiGraph([(0, 1), (1, 2), (0, 3), (3, 2)])
    >>> shortest_path_to(G, lambda n, d: n == 2)
    [0, 1, 2]
    >>> shortest_path_to(G, lambda n, d: n == 9) is None
    True
    """
    parent: dict[int, int | None] = {source: None}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        if predicate(u, G.nodes[u]):
            path = [u]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for v in sorted(G.successors(u)):
            if v not in parent:
                parent[v] = u
                queue.append(v)
    return None


def edge_coverage(G: nx.DiGraph, edges_seen: Iterable[str]) -> tuple[int, int]:
    """``(covered, total)``: how many of ``G``'s edges appear in ``edges_seen``.

    ``edges_seen`` are edge labels as :attr:`Verdict.edges` holds them (union them over the
    traces of a check).

    >>> G = state_graph(1, ((("wait", None),),))
    >>> edge_coverage(G, [])
    (0, 3)
    """
    seen = set(edges_seen)
    total = G.number_of_edges()
    covered = sum(1 for _, _, i in G.edges(data="id") if i in seen)
    return covered, total


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(G: nx.DiGraph) -> str:
    """``G`` in Graphviz DOT: nodes labelled by their summary, blocked-forever ones red.

    >>> print(to_dot(state_graph(1, ((),))))
    digraph spec {
      n0 [label="pcs 0: filling, 0/1 arrived" shape=doublecircle];
    }
    """
    stuck = set().union(*blocked_forever(G)) if G.number_of_nodes() else set()
    lines = ["digraph spec {"]
    for v, data in G.nodes(data=True):
        attrs = f"label={_quote(data.get('label', v))}"
        if v in stuck:
            attrs += " color=red"
        elif data.get("done"):
            attrs += " shape=doublecircle"
        lines.append(f"  n{v} [{attrs}];")
    for u, v, data in G.edges(data=True):
        lines.append(f"  n{u} -> n{v} [label={_quote(data.get('label', ''))}];")
    lines.append("}")
    return "\n".join(lines)


def to_graphml(G: nx.DiGraph) -> str:
    """``G`` as a GraphML document (a string)."""
    return "\n".join(nx.generate_graphml(G)) + "\n"


def to_json(G: nx.DiGraph) -> str:
    """``G`` as JSON (networkx node-link format, keys sorted: stable across runs).

    >>> json.loads(to_json(state_graph(1, ((),))))["nodes"][0]["id"]
    0
    """
    data = nx.node_link_data(G, edges="edges")
    return json.dumps(data, sort_keys=True, indent=1)
