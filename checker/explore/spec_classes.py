"""Generated scenarios that are the same to the spec: equal state graphs up to renaming.

:func:`~.synthesis.canonical` removes the repeats it can see in a scenario's text (the order of
threads, a lone long timeout). Others only show in what the spec makes of a scenario: steps
that can never run (after a wait that is never released or broken, say) leave the spec's
state graph as it is without them. :class:`SpecClasses` keeps one scenario per class of
*spec state graphs equal up to renaming* of states and of threads, by a canonical form
(:func:`canonical_form`): two graphs are equal up to renaming exactly when their forms are.

The form: for every renaming of the threads (``n!`` of them, ``n <= 4`` here), the graph's
edges are relabelled (``t1 calls wait(0)`` becomes ``t0 calls wait(0)`` when ``t1`` is renamed
``t0``; the timeout values, the index returned and ``parties`` in ``arrives (1/2)`` stay), and
the states are numbered in breadth-first order from the initial state, the successors of each
state in the order of their edges' labels. The spec is deterministic (one state and one step
give one next state), so a state's outgoing labels are distinct and this numbering depends on
the graph alone; the form is the smallest of the resulting (edges, state flags) tuples. A graph
where two edges out of one state carry the same label (none today) has no form, and is kept.

The barrier's settings that edges do not show (the constructor's timeout class, the action:
the spec lets an action return or raise in any generation, the target's does what the
scenario says) are part of the form. A graph larger than :data:`MAX_STATES` is not built: its
scenario is taken as new (a repeat is kept, never a distinct scenario dropped). The bound is
measured, not guessed: of the first 3,000 scenarios of the default space (``Bounds()``), 108
have graphs over 200 states; comparing them too (a bound of 1,000 or 2,000) finds one more
repeat, and makes classifying the 3,000 take 1.6x and 2.1x as long (a graph of a thousand
states costs about what a probe of its scenario does). Large graphs are nearly always new.

>>> classes = SpecClasses("documented")
>>> from barrierlab.checker.scenario import Scenario
>>> classes.add(Scenario.build("a", parties=2, threads=["wait"]))
True
>>> classes.add(Scenario.build("b", parties=2, threads=["wait broken"]))  # never reads
False
>>> classes.add(Scenario.build("c", parties=2, threads=["wait", "wait"]))
True
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, deque
from typing import Any

import networkx as nx

from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.graph import state_graph
from barrierlab.model.versions import base_profile

__all__ = ["MAX_STATES", "SpecClasses", "canonical_form", "signature"]

#: Scenarios whose state graph has more states than this are not compared (taken as new).
MAX_STATES = 200
_THREAD = re.compile(r"\bt(\d+)\b")


def _renamed(label: str, names: tuple[int, ...]) -> str:
    parts = (_THREAD.sub(lambda m: f"t{names[int(m[1])]}", p) for p in label.split("; "))
    return "; ".join(sorted(parts))


class _Graph:
    """What the comparison needs of a state graph: its edges, its states' flags."""

    def __init__(self, G: nx.DiGraph, threads: int) -> None:
        self.threads = threads
        self.edges = [(u, label, v) for u, v, label in G.edges(data="label")]
        self.flags = {n: f"{d['blocked']:d}{d['done']:d}" for n, d in G.nodes(data=True)}
        self._form: tuple | bool | None = False

    def invariant(self) -> tuple:
        """Cheap facts equal graphs share: sizes, anonymous labels and flags, counted."""
        labels = Counter(_THREAD.sub("t", label) for _, label, _ in self.edges)
        flags = Counter(self.flags.values())
        return len(self.flags), tuple(sorted(labels.items())), tuple(sorted(flags.items()))

    def form(self) -> tuple | None:
        if self._form is False:
            self._form = _form(self.edges, self.flags, self.threads)
        return self._form  # type: ignore[return-value]


def canonical_form(G: nx.DiGraph, threads: int) -> tuple | None:
    """The form of state graph ``G`` of ``threads`` threads (see the module docstring), or
    None when two edges out of one state carry the same label.

    >>> from barrierlab.model.graph import state_graph
    >>> a = state_graph(2, ((("wait", None),), (("wait", 0.0),)))
    >>> b = state_graph(2, ((("wait", 0.0),), (("wait", None),)))
    >>> canonical_form(a, 2) == canonical_form(b, 2), a.edges == b.edges
    (True, False)
    """
    return _Graph(G, threads).form()


def _form(edge_list, node_flags, threads: int) -> tuple | None:
    best: tuple | None = None
    for names in itertools.permutations(range(threads)):
        out: dict[Any, list[tuple[str, Any]]] = {}
        for u, label, v in edge_list:
            out.setdefault(u, []).append((_renamed(label, names), v))
        number = {0: 0}
        queue = deque([0])
        edges = []
        while queue:
            u = queue.popleft()
            moves = sorted(out.get(u, ()))
            if len({label for label, _ in moves}) < len(moves):
                return None
            for label, v in moves:
                if v not in number:
                    number[v] = len(number)
                    queue.append(v)
                edges.append((number[u], label, number[v]))
        flags = [""] * len(number)
        for n, flag in node_flags.items():
            flags[number[n]] = flag
        form = (tuple(edges), tuple(flags))
        if best is None or form < best:
            best = form
    return best


def _graph(scenario: Scenario, profile: str) -> _Graph | None:
    try:
        G = state_graph(
            scenario.parties,
            scenario.model_programs(),
            profile=base_profile(profile),
            default_timeout=scenario.default_timeout,
            has_action=scenario.has_action,
            max_states=MAX_STATES,
        )
    except InvalidArgument:
        return None
    return _Graph(G, scenario.n_threads)


def _settings(scenario: Scenario) -> tuple:
    default = None if scenario.default_timeout is None else scenario.default_timeout == 0
    return scenario.action, default


def signature(scenario: Scenario, profile: str) -> tuple | None:
    """The barrier's settings and the canonical form of ``scenario``'s state graph under
    ``profile``: equal for two scenarios exactly when :class:`SpecClasses` counts them as one
    (None: no form, the graph is too large)."""
    graph = _graph(scenario, profile)
    form = None if graph is None else graph.form()
    return None if form is None else (*_settings(scenario), form)


class SpecClasses:
    """The classes of spec state graphs seen so far (see the module docstring).

    Graphs are sorted into buckets by their settings and cheap invariants (sizes, labels
    counted without thread names); the canonical form is computed only for graphs that share
    a bucket, so most scenarios cost one graph of at most :data:`MAX_STATES` states.
    """

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.buckets: dict[tuple, list[_Graph]] = {}

    def add(self, scenario: Scenario) -> bool:
        """Record ``scenario``; True when its class is new (so it is worth running)."""
        graph = _graph(scenario, self.profile)
        if graph is None:
            return True
        bucket = self.buckets.setdefault((*_settings(scenario), graph.invariant()), [])
        if bucket:
            form = graph.form()
            if form is None:
                return True
            if any(other.form() == form for other in bucket):
                return False
        bucket.append(graph)
        return True
