"""The reports as one self-contained HTML page: inline CSS and SVG, no script, no network.

Sections: ``#summary`` (one row per target and profile), ``#rules`` (the rules table: one row
per rule, with the documentation sentence it stands on and a verdict column per target and
profile), then one ``article`` per target with, per profile, its rules in detail, its
scenarios, each violation as a timeline (one lane per thread, the spec state at each step, the
replay command) and a picture of a scenario's spec state graph with the covered edges.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from typing import Any

from barrierlab.checker.report.content import KIND_ROWS
from barrierlab.checker.report.figures import graph_figure, table, violation_timeline
from barrierlab.checker.report.state_graph_svg import MARKERS
from barrierlab.checker.report.text import coverage, scenario_line, space_cell, space_line
from barrierlab.model.rules import RULES

__all__ = ["render_html"]

_MARK = {"conforms": "✓", "violated": "✗", "not exercised": "○", "not applicable": "·"}


def _e(value: Any) -> str:
    return escape(str(value))


def _badge(verdict: str) -> str:
    return f'<span class="badge {verdict}">{verdict.upper()}</span>'


def _v(verdict: str, short: bool = False) -> str:
    text = _MARK[verdict] if short else f"{_MARK[verdict]} {verdict}"
    return f'<span class="v-{verdict.replace(" ", "-")}">{text}</span>'


def _anchor(report: dict[str, Any], profile: str | None = None) -> str:
    return f"t-{report['slug']}" + (f"-{profile}" if profile else "")


def _summary(reports: list[dict[str, Any]]) -> str:
    rows = []
    for report in reports:
        for r in report["results"]:
            c = r["counts"]
            rows.append(
                f'<tr><td><a href="#{_anchor(report, r["profile"])}">{_e(report["target"])}</a>'
                f"</td><td>{r['profile']}</td><td>{_badge(r['verdict'])}</td>"
                f'<td class="num">{r["schedules"]}</td>'
                f"<td>{'yes' if r['exhaustive'] else 'no'}</td>"
                f'<td class="num">{coverage(r["rule_coverage"])}</td>'
                f'<td class="num">{coverage(r["edge_coverage"])}</td>'
                f'<td class="num">{c["conforms"]}</td><td class="num">{c["violated"]}</td>'
                f'<td class="num">{c["not exercised"]}</td>'
                f'<td class="num">{len(r["violations"])}</td>'
                f'<td class="num">{_e(space_cell(r.get("synthesis")))}</td></tr>\n'
            )
    header = [
        "<th>target</th>",
        "<th>profile</th>",
        "<th>verdict</th>",
        '<th class="num">schedules</th>',
        "<th>exhaustive</th>",
        '<th class="num">rules exercised</th>',
        '<th class="num">spec edges covered</th>',
        '<th class="num">conform</th>',
        '<th class="num">violated</th>',
        '<th class="num">not exercised</th>',
        '<th class="num">violations</th>',
        '<th class="num">generated scenarios</th>',
    ]
    return table("summary", header, rows)


def _rules_matrix(reports: list[dict[str, Any]]) -> str:
    columns = [(report, r) for report in reports for r in report["results"]]
    cells: dict[tuple[int, str], dict[str, Any]] = {}
    order: list[str] = []
    for k, (_, r) in enumerate(columns):
        for row in r["rules"]:
            cells[k, row["id"]] = row
            if row["id"] not in order:
                order.append(row["id"])
    known = [*RULES, *(kind for kind, _ in KIND_ROWS)]
    order.sort(key=lambda i: known.index(i) if i in known else len(known))
    header = ["<th>rule</th>", '<th class="statement">statement</th>']
    header += ['<th class="source">documentation</th>']
    header += [
        f'<th class="col"><a href="#{_anchor(report, r["profile"])}">{_e(report["slug"])}</a>'
        f" [{r['profile']}]</th>"
        for report, r in columns
    ]
    rows = []
    for rule in order:
        some = next(cells[k, rule] for k in range(len(columns)) if (k, rule) in cells)
        tds = []
        for k in range(len(columns)):
            row = cells.get((k, rule))
            if row is None:
                tds.append('<td class="v v-na" title="not in this profile">n/a</td>')
                continue
            tip = f"{row['verdict']}; {row['schedules']} schedules; edges {coverage(row['edges'])}"
            if row.get("reason"):
                tip = f"not applicable: {row['reason']}"
            tds.append(f'<td class="v" title="{_e(tip)}">{_v(row["verdict"], short=True)}</td>')
        rows.append(
            f'<tr id="rule-{rule}"><th><code>{rule}</code></th>'
            f'<td class="statement">{_e(some["statement"])}</td>'
            f'<td class="source">{_e(some["source"])}</td>{"".join(tds)}</tr>\n'
        )
    return table("matrix rules", header, rows)


def _rule_details(r: dict[str, Any]) -> str:
    rows = [
        f"<tr><th><code>{row['id']}</code></th><td>{_v(row['verdict'])}"
        + ("" if row["violation"] is None else f" (#{row['violation'] + 1})")
        + (f": {_e(row['reason'])}" if row.get("reason") else "")
        + f'</td><td class="num">{row["schedules"]}</td>'
        f'<td class="num">{coverage(row["edges"])}</td>'
        f'<td class="statement">{_e(row["statement"])}</td></tr>\n'
        for row in r["rules"]
    ]
    header = ["<th>rule</th>", "<th>verdict</th>", '<th class="num">schedules</th>']
    header += ['<th class="num">spec edges covered</th>', "<th>statement</th>"]
    return table("rule-details", header, rows)


def _scenarios(r: dict[str, Any]) -> str:
    rows = [
        f'<tr><td>{_e(s["name"])}</td><td class="{s["verdict"]}">{s["verdict"]}</td>'
        f'<td class="num">{s["schedules"]}</td><td>{"yes" if s["exhaustive"] else "no"}</td>'
        f'<td class="num">{coverage(s["edges"])}</td>'
        f'<td class="mono">{_e(scenario_line(s))}</td></tr>\n'
        for s in r["scenarios"]
    ]
    header = ["<th>scenario</th>", "<th>verdict</th>", '<th class="num">schedules</th>']
    header += ["<th>exhaustive</th>", '<th class="num">spec edges covered</th>']
    header += ["<th>what it runs</th>"]
    return table("scenarios", header, rows)


def _target(report: dict[str, Any]) -> str:
    parts = [
        f'<article class="target" id="{_anchor(report)}"><h2>{_e(report["target"])} '
        f"{_badge(report['verdict'])}</h2>",
        f'<p class="noprint">The same report as <a href="{_e(report["slug"])}.md">Markdown</a> '
        f'and <a href="{_e(report["slug"])}.json">JSON</a>.</p>',
    ]
    for r in report["results"]:
        parts.append(
            f'<section class="profile" id="{_anchor(report, r["profile"])}">'
            f"<h3>Profile {r['profile']}: {_badge(r['verdict'])}</h3>"
            f"<p>{r['schedules']} schedules, "
            f"{'exhaustive' if r['exhaustive'] else 'not exhaustive'}; rules exercised "
            f"{coverage(r['rule_coverage'])}; spec edges covered "
            f"{coverage(r['edge_coverage'])}.</p><h4>Rules</h4>"
        )
        parts += [
            _rule_details(r),
            "<h4>Scenarios</h4>",
            f"<p>{_e(space_line(r.get('synthesis')))}</p>",
            _scenarios(r),
            "<h4>Violations</h4>",
        ]
        if not r["violations"]:
            parts.append("<p>None found.</p>")
        parts += [violation_timeline(n, v) for n, v in enumerate(r["violations"], start=1)]
        parts += [
            "<h4>State graph</h4>",
            graph_figure(r),
            "</section>",
        ]
    parts.append("</article>")
    return "\n".join(parts)


def _ignored(settings: dict[str, Any]) -> str:
    rules = settings.get("ignore_rules")
    return f"; ignored (--ignore-rule): {', '.join(rules)}" if rules else ""


def render_html(reports: list[dict[str, Any]]) -> str:
    """The whole page for every target's report (dicts from :mod:`.data`)."""
    css = files("barrierlab.checker.report").joinpath("style.css").read_text(encoding="utf-8")
    s = reports[0]["settings"] if reports else {}
    settings = (
        f"Profiles {', '.join(s.get('profiles', []))}; at most {s.get('max_schedules')} "
        f"schedules per scenario; seed {s.get('seed')}; scheduler {s.get('scheduler')}; "
        f"scenarios: {', '.join(s.get('scenarios', []))}"
        f"{_ignored(s)}."
    )
    nav = "".join(
        f'<li><a href="#{_anchor(report)}">{_e(report["slug"])}</a></li>' for report in reports
    )
    legend = " ".join(f"<span>{_v(v)}</span>" for v in _MARK)
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>barrierlab conformance report</title>",
        f"<style>\n{css}</style></head><body>",
        MARKERS,
        "<header><h1>barrierlab conformance report</h1>",
        f"<p>{_e(settings)}</p></header>",
        '<nav><ul><li><a href="#summary">Summary</a></li><li><a href="#rules">Rules</a></li>'
        f"{nav}</ul></nav>",
        '<section id="summary"><h2>Summary</h2>',
        _summary(reports),
        "</section>",
        '<section id="rules"><h2>Rules</h2>',
        "<p>A rule <em>conforms</em> when accepted schedules exercised it and no violation "
        "names it; it is <em>violated</em> when a violation names it (the target's section "
        "shows the timeline and the replay command); <em>not exercised</em> when no schedule "
        "reached it; <em>not applicable</em> when the target cannot be judged on it (it "
        "has no <code>reset()</code>, its <code>wait()</code> returns None...: the reason is "
        "in the target's section) or it was ignored as a known deviation. <code>n/a</code>: "
        "the rule is not part of that profile.</p>",
        f'<p class="legend">{legend}</p>',
        _rules_matrix(reports),
        "</section>",
        *(_target(report) for report in reports),
        "<footer><p>Written by <code>barrierlab report</code>. Rerunning it with the same "
        "targets, settings and seed gives the same bytes.</p></footer>",
        "</body></html>",
    ]
    return "\n".join(body) + "\n"
