"""The two pictures of a report page: a violation as a timeline with one lane per thread, and
a scenario's spec state graph as an inline SVG figure."""

from __future__ import annotations

from html import escape
from typing import Any

from barrierlab.checker.report.content import MAX_DRAWN, graph_for
from barrierlab.checker.report.state_graph_svg import render_graph
from barrierlab.checker.report.text import rejected_where, scenario_line, timeline, title
from barrierlab.checker.scenario import Scenario

__all__ = ["graph_figure", "table", "violation_timeline"]


def _e(value: Any) -> str:
    return escape(str(value))


def table(cls: str, header: list[str], rows: list[str]) -> str:
    """A table in a horizontally scrolling box (so it fits a phone screen)."""
    head = "".join(header)
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{''.join(rows)}</tbody></table></div>"
    )


def violation_timeline(n: int, v: dict[str, Any]) -> str:
    """Violation number ``n``: what broke, the timeline, and the replay command."""
    lanes = [f'<th class="lane">t{t}</th>' for t in range(v["threads"])]
    rows = []
    for number, tid, text, when, state, here in timeline(v):
        cells = ['<td class="lane"></td>'] * v["threads"]
        cells[tid] = f'<td class="lane">{_e(text)}</td>'
        cls = ' class="rejected"' if here else ""
        rows.append(
            f'<tr{cls}><td class="num">{number}</td>{"".join(cells)}'
            f'<td class="num">{when}</td><td class="state">{_e(state)}</td></tr>\n'
        )
    header = ['<th class="num">#</th>', *lanes, '<th class="num">time</th>']
    header.append('<th class="state">spec state</th>')
    notes = []
    where = rejected_where(v)
    if where:
        notes.append(f"Rejected at {where}.")
    if v["allowed"]:
        notes.append("The spec allowed instead: " + _e("; ".join(v["allowed"])) + ".")
    notes += [f"Blocked: {_e(b)}" for b in v["blocked"]]
    if v["crash"]:
        notes.append(f"Crash: <code>{_e(v['crash'])}</code>")
    return (
        f'<div class="violation"><h4>{n}. {_e(title(v))}</h4><p>{_e(v["message"])}</p>'
        f'<p class="mono">{_e(scenario_line(v["scenario"]))}</p>'
        f"<p>Found after {v['schedules_to_find']} schedule(s).</p>"
        + table("timeline", header, rows)
        + "".join(f"<p>{note}</p>" for note in notes)
        + f'<p>Replay it:</p><pre class="replay"><code>{_e(v["replay"])}</code></pre></div>'
    )


def graph_figure(r: dict[str, Any]) -> str:
    """The state graph of the scenario ``r["graph"]`` names (one profile's record ``r``)."""
    g = r["graph"]
    if g is None:
        return ""
    scenario = next(s for s in r["scenarios"] if s["name"] == g["scenario"])
    G = graph_for(Scenario.from_json(scenario), r["profile"])
    svg = render_graph(
        G,
        covered=g["covered"],
        path=g["violation_path"],
        max_nodes=MAX_DRAWN,
    )
    dashed = any(d for *_, d in G.edges(data="interrupt"))
    cut = (
        f" Only the first {g['drawn']} of {g['states']} states (breadth-first) are drawn."
        if g["drawn"] < g["states"]
        else ""
    )
    path = (
        f', <span class="key-hot">red</span>: the path of the first violation '
        f"({len(g['violation_path'])} edges)"
        if g["violation_path"]
        else ""
    )
    return (
        f'<figure><div class="scroll">{svg}</div><figcaption>The {r["profile"]} spec state '
        f"graph of scenario {_e(g['scenario'])}: {g['states']} states, {g['edges']} edges, "
        f"in rows by distance from the initial state (0). "
        f'<span class="key-cov">Blue</span>: the {len(g["covered"])} edges accepted runs '
        f"covered{path}; thick ring: every thread done; red state: blocked forever"
        f"{' (unless cancelled); dashed: a cancellation or expiring timeout' if dashed else ''}"
        f".{cut}"
        f"</figcaption></figure>"
    )
