"""The reports as JUnit XML, so CI systems show conformance natively.

One ``<testsuite>`` per target and profile, one ``<testcase>`` per row of its rules table (each
rule of the profile, then the rule-less verdict kinds): a violated rule is a ``<failure>`` whose
message is the violation's and whose text holds the replay command; a rule no schedule
exercised is ``<skipped>``. Each suite's ``<properties>`` say how much of the generated
scenario space the check covered (``synthesis.*``). No timestamps and no durations, so reruns
give the same bytes.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from barrierlab.checker.report.text import scenario_line, space_line, title

__all__ = ["render_junit"]


def _case(classname: str, row: dict[str, Any], violations: list[dict[str, Any]]) -> list[str]:
    head = f"    <testcase classname={quoteattr(classname)} name={quoteattr(row['id'])}"
    if row["verdict"] == "conforms":
        return [head + "/>"]
    if row["verdict"] == "not applicable":
        return [
            head + ">",
            f"      <skipped message={quoteattr('not applicable: ' + row['reason'])}/>",
            "    </testcase>",
        ]
    if row["verdict"] == "not exercised":
        return [
            head + ">",
            '      <skipped message="not exercised: no schedule reached this rule"/>',
            "    </testcase>",
        ]
    v = violations[row["violation"]]
    body = "\n".join(
        [
            title(v),
            v["message"],
            f"scenario: {scenario_line(v['scenario'])}",
            f"replay: {v['replay']}",
        ]
    )
    return [
        head + ">",
        f"      <failure message={quoteattr(v['message'])} type={quoteattr(v['kind'])}>"
        f"{escape(body)}</failure>",
        "    </testcase>",
    ]


def _properties(space: dict[str, Any] | None) -> list[str]:
    """The suite's properties: the generated space's coverage."""
    values = {"synthesis": space_line(space)}
    if space is not None:
        values |= {
            f"synthesis.{k}": str(space[k]).lower()
            for k in ("tried", "exhausted", "sampled", "failed", "complete")
        }
    return [
        "    <properties>",
        *(f"      <property name={quoteattr(k)} value={quoteattr(v)}/>" for k, v in values.items()),
        "    </properties>",
    ]


def render_junit(reports: list[dict[str, Any]]) -> str:
    """The JUnit XML document of every target's report (dicts from :mod:`.data`)."""
    suites = []
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for report in reports:
        for r in report["results"]:
            name = f"{report['target']} [{r['profile']}]"
            classname = f"{report['slug']}.{r['profile']}"
            counts = {
                "tests": len(r["rules"]),
                "failures": r["counts"]["violated"],
                "skipped": r["counts"]["not exercised"] + r["counts"].get("not applicable", 0),
            }
            for key in totals:
                totals[key] += counts[key]
            lines = [
                f'  <testsuite name={quoteattr(name)} tests="{counts["tests"]}" '
                f'failures="{counts["failures"]}" errors="0" skipped="{counts["skipped"]}">'
            ]
            lines += _properties(r.get("synthesis"))
            for row in r["rules"]:
                lines += _case(classname, row, r["violations"])
            lines.append("  </testsuite>")
            suites += lines
    head = (
        f'<testsuites name="barrierlab conformance" tests="{totals["tests"]}" '
        f'failures="{totals["failures"]}" errors="0" skipped="{totals["skipped"]}">'
    )
    return (
        "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', head, *suites, "</testsuites>"]) + "\n"
    )
