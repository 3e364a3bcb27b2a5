"""The content of a conformance report: plain JSON-ready data, built from check results.

Every report format (JSON, Markdown, HTML, JUnit XML) is rendered from the dicts built here, so
they say the same thing. :func:`profile_result` turns one
:class:`~barrierlab.checker.api.CheckResult` into the record of one target under one profile;
:func:`target_report` puts a target's records together. Nothing time- or machine-dependent goes
in (no seconds, dates, absolute paths): a report depends only on the target's behaviour, the
settings and barrierlab's own code. ``schema.json`` beside this module documents the shape.

A rule's verdict, per target and profile:

* ``violated``: a violation names the rule (a deadlock names the rule whose promise it breaks,
  a crash ``R-ERROR-TYPE``). Verdicts without a rule (livelock, uncontrolled blocking) have a
  row of their own, named by the kind;
* ``conforms``: no violation, and accepted schedules exercised the rule;
* ``not exercised``: neither (no scenario reached it, or the check stopped first);
* ``not applicable``: the target cannot be judged on it (it has no ``reset()``, its ``wait()``
  returns None...), with the reason, or it was looked past with ``--ignore-rule``.

>>> [row["id"] for row in rule_rows("documented", [], {}, {})][-2:]
['livelock', 'uncontrolled']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import networkx as nx

from barrierlab.checker.explore.search import ScenarioResult, Violation
from barrierlab.checker.scenario import Scenario
from barrierlab.model.graph import state_graph
from barrierlab.model.rules import RULES, rules_for
from barrierlab.model.versions import base_profile

__all__ = [
    "FORMAT",
    "KIND_ROWS",
    "VERDICTS",
    "graph_for",
    "profile_result",
    "rule_rows",
    "target_report",
]

#: The format tag every report JSON carries; bump it when the shape changes.
FORMAT = "barrierlab-report/1"
#: The verdicts a rule can get, in the order reports explain them.
VERDICTS = ("conforms", "violated", "not exercised", "not applicable")
#: Rows for violation kinds that name no rule: (id, statement).
KIND_ROWS = (
    ("livelock", "every schedule finishes within the step bound (no thread spins forever)"),
    (
        "uncontrolled",
        "the target blocks only on primitives barrierlab controls (no real lock or I/O wait)",
    ),
)
#: How many states of a scenario's state graph a report draws at most.
MAX_DRAWN = 160


@lru_cache(maxsize=128)
def _graph(parties, programs, profile, default_timeout, has_action) -> nx.DiGraph:
    return state_graph(
        parties,
        programs,
        profile=profile,
        default_timeout=default_timeout,
        has_action=has_action,
    )


def graph_for(scenario: Scenario, profile: str) -> nx.DiGraph:
    """The spec's state graph of ``scenario`` under ``profile`` (cached; do not modify it).

    A construction scenario (``parties < 1``) has none: the spec starts from a built barrier.
    """
    if scenario.invalid_parties:
        return nx.DiGraph()
    return _graph(
        scenario.parties,
        scenario.model_programs(),
        base_profile(profile),
        scenario.default_timeout,
        scenario.has_action,
    )


def _row_of(violation: Violation) -> str:
    return violation.rule or violation.kind


def _edges_by_rule(G: nx.DiGraph, seen: set[str]) -> dict[str, list[int]]:
    """rule -> [covered, total] over ``G``'s edges that are transitions of the rule."""
    counts: dict[str, list[int]] = {}
    for _, _, data in G.edges(data=True):
        for rule in filter(None, data["rules"].split(",")):
            entry = counts.setdefault(rule, [0, 0])
            entry[1] += 1
            entry[0] += data["id"] in seen
    return counts


def rule_rows(
    profile: str,
    scenarios: list[ScenarioResult],
    graphs: dict[str, nx.DiGraph],
    violations: dict[str, int],
    not_applicable: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One row per rule of ``profile``, then one per rule-less violation kind.

    ``graphs`` maps scenario names to their state graphs; ``violations`` maps a row id to the
    index of the first violation in the report that names it; ``not_applicable`` maps the
    rules that cannot be judged on the target to the reason (a row gets it as ``reason``).
    """
    not_applicable = not_applicable or {}
    ids = [r for r in RULES if r in rules_for(profile)]
    rows: list[dict[str, Any]] = []
    edges: dict[str, list[int]] = {}
    for s in scenarios:
        for rule, (c, t) in _edges_by_rule(graphs[s.scenario.name], s.edges).items():
            entry = edges.setdefault(rule, [0, 0])
            entry[0] += c
            entry[1] += t
    total = sum(s.schedules for s in scenarios)
    for rule in ids:
        ran = [
            s
            for s in scenarios
            if rule in s.rules or (s.violation is not None and _row_of(s.violation) == rule)
        ]
        covered, of = edges.get(rule, (0, 0))
        row = {
            "id": rule,
            "statement": RULES[rule].statement,
            "source": RULES[rule].source,
            "verdict": _verdict(rule, violations, bool(ran)),
            "schedules": sum(s.schedules for s in ran),
            "edges": {"covered": covered, "total": of},
            "violation": violations.get(rule),
        }
        if rule in not_applicable and row["violation"] is None:
            row["verdict"] = "not applicable"
            row["reason"] = not_applicable[rule]
        rows.append(row)
    kinds = dict(KIND_ROWS)
    extra = [k for k in violations if k not in ids and k not in kinds]
    for kind in [*kinds, *sorted(extra)]:
        rows.append(
            {
                "id": kind,
                "statement": kinds.get(kind, f"no {kind} verdict"),
                "source": "(a verdict of the checker, not a rule of the documentation)",
                "verdict": _verdict(kind, violations, total > len(violations)),
                "schedules": total,
                "edges": None,
                "violation": violations.get(kind),
            }
        )
    return rows


def _verdict(row: str, violations: dict[str, int], exercised: bool) -> str:
    if row in violations:
        return "violated"
    return "conforms" if exercised else "not exercised"


def _last_line(text: str | None) -> str | None:
    return text.strip().splitlines()[-1] if text and text.strip() else None


def _violation(v: Violation) -> dict[str, Any]:
    data = v.to_json()
    return {
        "row": _row_of(v),
        "rule": v.rule,
        "kind": v.kind,
        "scenario": v.scenario.to_json(),
        "message": v.message,
        "token": v.token,
        "replay": f"barrierlab replay {v.token}",
        "threads": v.scenario.n_threads,
        "trace": data["trace"],
        "states": data["states"],
        "rejected_at": v.rejected_at,
        "allowed": data["allowed"],
        "blocked": data["blocked"],
        "crash": _last_line(v.result.crash),
        "schedules_to_find": v.schedules,
    }


def _edge_pairs(G: nx.DiGraph, ids: set[str] | frozenset[str]) -> list[list[int]]:
    return sorted([u, v] for u, v, i in G.edges(data="id") if i in ids)


def _picture(scenarios: list[ScenarioResult], graphs, first: Violation | None) -> dict | None:
    """What the report draws: the first violation's scenario, else the first one run (never a
    construction scenario: it has no state graph)."""
    drawable = [s for s in scenarios if not s.scenario.invalid_parties]
    if not drawable:
        return None
    if first is not None and first.scenario.invalid_parties:
        first = next((s.violation for s in drawable if s.violation is not None), None)
    chosen = next((s for s in drawable if s.violation is first), drawable[0])
    G = graphs[chosen.scenario.name]
    path = first.verdict.edges if first is not None else frozenset()
    return {
        "scenario": chosen.scenario.name,
        "states": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "drawn": min(G.number_of_nodes(), MAX_DRAWN),
        "covered": _edge_pairs(G, chosen.edges),
        "violation_path": _edge_pairs(G, path),
    }


def profile_result(result, *, graphs: dict[str, nx.DiGraph] | None = None) -> dict[str, Any]:
    """The record of one target under one profile, from a :class:`CheckResult`."""
    if graphs is None:
        graphs = {s.scenario.name: graph_for(s.scenario, result.profile) for s in result.scenarios}
    violations = result.violations
    first_of: dict[str, int] = {}
    for i, v in enumerate(violations):
        first_of.setdefault(_row_of(v), i)
    scenarios = []
    seen = total = 0
    for s in result.scenarios:
        G = graphs[s.scenario.name]
        covered = sum(1 for _, _, i in G.edges(data="id") if i in s.edges)
        seen += covered
        total += G.number_of_edges()
        scenarios.append(
            {
                **s.scenario.to_json(),
                "description": s.scenario.description,
                "schedules": s.schedules,
                "exhaustive": s.exhaustive,
                "verdict": "fail" if s.violation else "pass",
                "rules_exercised": sorted(s.rules),
                "edges": {"covered": covered, "total": G.number_of_edges()},
            }
        )
    not_applicable = dict(getattr(result, "not_applicable", {}))
    for rule in sorted(getattr(result, "ignored", ())):
        broke = sum(s.ignored.get(rule, 0) for s in result.scenarios)
        runs = f"{broke} run{'s' if broke != 1 else ''} broke it" if broke else "no run broke it"
        not_applicable.setdefault(rule, f"ignored (--ignore-rule): a known deviation; {runs}")
    rows = rule_rows(result.profile, result.scenarios, graphs, first_of, not_applicable)
    rules_covered, rules_total = result.rule_coverage()
    return {
        "profile": result.profile,
        "verdict": result.verdict,
        "schedules": result.schedules,
        "exhaustive": result.exhaustive,
        "rule_coverage": {"covered": rules_covered, "total": rules_total},
        "edge_coverage": {"covered": seen, "total": total},
        "counts": {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS},
        "scenarios": scenarios,
        "rules": rows,
        "violations": [_violation(v) for v in violations],
        "graph": _picture(result.scenarios, graphs, violations[0] if violations else None),
        "synthesis": None if getattr(result, "space", None) is None else result.space.to_json(),
    }


def target_report(
    target: str, slug: str, settings: dict[str, Any], results: list[dict[str, Any]]
) -> dict[str, Any]:
    """The whole report of one target: its records under each profile checked."""
    verdict = "fail" if any(r["verdict"] == "fail" for r in results) else "pass"
    return {
        "format": FORMAT,
        "target": target,
        "slug": slug,
        "verdict": verdict,
        "settings": settings,
        "results": results,
    }
