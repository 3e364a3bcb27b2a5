"""A target's report as Markdown: the same content as its JSON, for people and code review."""

from __future__ import annotations

from typing import Any

from barrierlab.checker.report.text import (
    coverage,
    rejected_where,
    scenario_line,
    space_cell,
    space_line,
    timeline,
    title,
)

__all__ = ["render_markdown"]


def _cell(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _violation(n: int, v: dict[str, Any]) -> list[str]:
    lines = [
        f"#### {n}. {title(v)}",
        "",
        v["message"],
        "",
        f"Scenario: {scenario_line(v['scenario'])}",
    ]
    lines += [f"Found after {v['schedules_to_find']} schedule(s).", ""]
    lanes = [f"t{t}" for t in range(v["threads"])]
    rows = []
    for number, tid, text, when, state, here in timeline(v):
        cells = ["" for _ in lanes]
        cells[tid] = f"**{text}**" if here else text
        rows.append([f"**{number}** ⟵" if here else number, *cells, when, state])
    lines += _table(["#", *lanes, "time", "spec state"], rows)
    where = rejected_where(v)
    if where:
        lines.append(f"Rejected at {where}.")
    if v["allowed"]:
        lines.append("The spec allowed instead: " + "; ".join(v["allowed"]) + ".")
    lines += [f"Blocked: {b}" for b in v["blocked"]]
    if v["crash"]:
        lines.append(f"Crash: `{v['crash']}`")
    return [*lines, "", "Replay it:", "", "```sh", v["replay"], "```", ""]


def _profile(r: dict[str, Any]) -> list[str]:
    lines = [f"## Profile `{r['profile']}`: {r['verdict'].upper()}", "", "### Rules", ""]
    lines += _table(
        ["rule", "verdict", "schedules", "spec edges", "statement", "documentation"],
        [
            [
                f"`{row['id']}`",
                row["verdict"]
                + ("" if row["violation"] is None else f" (#{row['violation'] + 1})")
                + (f": {row['reason']}" if row.get("reason") else ""),
                row["schedules"],
                coverage(row["edges"]),
                row["statement"],
                row["source"],
            ]
            for row in r["rules"]
        ],
    )
    lines += ["### Scenarios", "", space_line(r.get("synthesis")), ""]
    lines += _table(
        ["scenario", "verdict", "schedules", "exhaustive", "spec edges", "what it runs"],
        [
            [
                s["name"],
                s["verdict"],
                s["schedules"],
                _yes(s["exhaustive"]),
                coverage(s["edges"]),
                scenario_line(s),
            ]
            for s in r["scenarios"]
        ],
    )
    lines += ["### Violations", ""]
    if not r["violations"]:
        lines += ["None found.", ""]
    for n, v in enumerate(r["violations"], start=1):
        lines += _violation(n, v)
    g = r["graph"]
    if g is not None:
        lines += ["### State graph", ""]
        lines.append(
            f"Scenario {g['scenario']}: {g['states']} spec states, {g['edges']} edges; the "
            f"accepted runs covered {len(g['covered'])} edges"
            + (
                f", the first violation's path {len(g['violation_path'])}"
                if g["violation_path"]
                else ""
            )
            + ". The picture is in index.html."
        )
        lines.append("")
    return lines


def _ignored(settings: dict[str, Any]) -> str:
    rules = settings.get("ignore_rules")
    return f"; ignored (--ignore-rule): {', '.join(rules)}" if rules else ""


def _generated(settings: dict[str, Any]) -> str:
    n, b = settings.get("generated", 0), settings.get("bounds")
    if not n or b is None:
        return "no generated scenarios."
    return (
        f"then the first {n} generated scenarios (parties <= {b['max_parties']}, threads <= "
        f"{b['max_threads']}, steps <= {b['max_ops']}), a short probe each."
    )


def render_markdown(report: dict[str, Any]) -> str:
    """The Markdown text of one target's report (a dict from :mod:`.data`)."""
    s = report["settings"]
    lines = [f"# Conformance report: `{report['target']}`", ""]
    lines.append(f"Verdict: **{report['verdict'].upper()}**")
    lines += [
        "",
        f"Settings: profiles {', '.join(s['profiles'])}; at most {s['max_schedules']} schedules "
        f"per scenario; seed {s['seed']}; scheduler {s['scheduler']}; line-level preemption "
        f"{'on' if s['line_level'] else 'off'}; step bound {s['step_bound']}{_ignored(s)}; "
        + _generated(s),
        "",
        "Replay any violation below with its `barrierlab replay` command. A rule *conforms* when "
        "accepted schedules exercised it and none violated it; *not exercised* means no schedule "
        "reached it.",
        "",
        "## Summary",
        "",
    ]
    lines += _table(
        [
            "profile",
            "verdict",
            "schedules",
            "exhaustive",
            "rules exercised",
            "spec edges",
            "conforms",
            "violated",
            "not exercised",
            "generated scenarios",
        ],
        [
            [
                r["profile"],
                r["verdict"].upper(),
                r["schedules"],
                _yes(r["exhaustive"]),
                coverage(r["rule_coverage"]),
                coverage(r["edge_coverage"]),
                r["counts"]["conforms"],
                r["counts"]["violated"],
                r["counts"]["not exercised"],
                space_cell(r.get("synthesis")),
            ]
            for r in report["results"]
        ],
    )
    for r in report["results"]:
        lines += _profile(r)
    return "\n".join(lines).rstrip("\n") + "\n"
