"""The spec's state graph as an inline SVG picture, with the edges a check covered highlighted.

Layout (deterministic, no external tool): states are drawn in rows by breadth-first depth from
the initial state; within a row, each state sits by the mean position of its parents in the row
above (ties by state number), one pass from the top. Edges to the next row are straight;
others (within a row, or back up) are drawn as curves. An edge only an outside event takes (an
asyncio cancellation or expiring timeout: ``interrupt`` in the graph) has the class ``cancel``
(dashed). Graphs larger than ``max_nodes`` are cut
to their first states in breadth-first order (the graph's own numbering), and the caller says so.

>>> from barrierlab.model.graph import state_graph
>>> G = state_graph(1, ((("wait", None),),))
>>> svg = render_graph(G, covered=[[0, 1]], path=[])
>>> svg.startswith("<svg") and svg.count("<circle") == G.number_of_nodes()
True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from html import escape

import networkx as nx

from barrierlab.model.graph import blocked_forever

__all__ = ["MARKERS", "layout", "render_graph"]

DX, DY, R, PAD = 34, 58, 11, 24

#: The arrowheads, defined once per page (the page's CSS gives each kind of edge its own):
#: a hidden ``<svg>`` that the pictures refer to, so they do not repeat it on every edge.
MARKERS = (
    '<svg class="defs" width="0" height="0" aria-hidden="true"><defs>'
    + "".join(
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        for kind in ("edge", "cov", "hot")
    )
    + "</defs></svg>"
)


def layout(G: nx.DiGraph, nodes: list[int]) -> dict[int, tuple[int, int]]:
    """Row and position in the row of each of ``nodes`` (a breadth-first prefix of ``G``)."""
    keep = set(nodes)
    depth = {nodes[0]: 0}
    queue = deque([nodes[0]])
    while queue:
        u = queue.popleft()
        for v in sorted(G.successors(u)):
            if v in keep and v not in depth:
                depth[v] = depth[u] + 1
                queue.append(v)
    rows: dict[int, list[int]] = {}
    for v in sorted(keep, key=lambda n: (depth.get(n, 0), n)):
        rows.setdefault(depth.get(v, 0), []).append(v)
    place: dict[int, tuple[int, int]] = {}
    for d in sorted(rows):
        row = rows[d]

        def centre(v: int, d: int = d, row: list[int] = row) -> tuple[float, int]:
            parents = [place[u][1] for u in G.predecessors(v) if u in place and place[u][0] < d]
            if not parents:
                return (float(row.index(v)), v)
            return (sum(parents) / len(parents), v)

        if d:
            row.sort(key=centre)
        for i, v in enumerate(row):
            place[v] = (d, i)
    return place


def _pairs(edges: Iterable[Iterable[int]]) -> set[tuple[int, int]]:
    return {(int(u), int(v)) for u, v in edges}


def render_graph(
    G: nx.DiGraph,
    *,
    covered: Iterable[Iterable[int]],
    path: Iterable[Iterable[int]],
    max_nodes: int = 160,
) -> str:
    """An ``<svg>`` element drawing ``G`` (at most ``max_nodes`` states).

    ``covered``: edges ``[u, v]`` the accepted runs used; ``path``: the edges of a violation's
    path (drawn on top, in the violation colour). The arrowheads are :data:`MARKERS`, which
    the page holds once.
    """
    nodes = sorted(G.nodes)[:max_nodes]
    place = layout(G, nodes)
    width_of: dict[int, int] = {}
    for d, i in place.values():
        width_of[d] = max(width_of.get(d, 0), i + 1)
    widest = max(width_of.values())
    width = 2 * PAD + (widest - 1) * DX
    height = 2 * PAD + max(width_of) * DY

    def xy(v: int) -> tuple[int, int]:
        d, i = place[v]
        offset = (widest - width_of[d]) * DX // 2
        return PAD + offset + i * DX, PAD + d * DY

    cov, hot = _pairs(covered), _pairs(path)
    stuck = set().union(*blocked_forever(G)) if G.number_of_nodes() else set()
    seen = {0} | {v for pair in cov | hot for v in pair}
    layers: dict[str, list[str]] = {"edge": [], "cov": [], "hot": []}
    for u, v in sorted(G.edges):
        if u not in place or v not in place:
            continue
        kind = "hot" if (u, v) in hot else "cov" if (u, v) in cov else "edge"
        (x1, y1), (x2, y2) = xy(u), xy(v)
        if place[v][0] == place[u][0] + 1:
            shape = f"M{x1},{y1 + R} L{x2},{y2 - R}"
        else:  # same row, or back up: bend to the side
            bend = DX if x2 >= x1 else -DX
            shape = f"M{x1},{y1} Q{(x1 + x2) // 2 + bend},{(y1 + y2) // 2 - DY // 2} {x2},{y2}"
        # Only highlighted edges get a tooltip: a big graph has hundreds of edges.
        tip = (
            "" if kind == "edge" else f"<title>{u} → {v}: {escape(G.edges[u, v]['label'])}</title>"
        )
        cls = f"{kind} cancel" if G.edges[u, v].get("interrupt") else kind
        layers[kind].append(f'<path class="{cls}" d="{shape}">{tip}</path>')
    parts = [
        f'<svg class="graph" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
    ]

    for kind in ("edge", "cov", "hot"):
        parts += layers[kind]
    for v in nodes:
        x, y = xy(v)
        data = G.nodes[v]
        classes = ["node"]
        classes += ["seen"] if v in seen else []
        classes += ["stuck"] if v in stuck else ["done"] if data.get("done") else []
        parts.append(
            f'<g class="{" ".join(classes)}"><circle cx="{x}" cy="{y}" r="{R}"/>'
            f'<text x="{x}" y="{y + 4}">{v}</text>'
            f"<title>state {v}: {escape(data.get('label', ''))}</title></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
