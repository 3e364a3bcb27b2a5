"""The committed ``reports/`` are current: what ``barrierlab report --bundled --profile both``
would write today.

Rerunning every check takes minutes, so this reruns two targets (a seeded bug; a correct one in
the slow tier) and compares their files byte for byte, and re-renders every file from the
committed JSON (Markdown, index.html, junit.xml): a change to the checker shows in the first
part, a change to the report formats in the second. Regenerate with the command in README
("Reading a report").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barrierlab.checker.report.checks import Settings, _profiles_of, bundled_targets, run, slug
from barrierlab.checker.report.html import render_html
from barrierlab.checker.report.junit import render_junit
from barrierlab.checker.report.markdown import render_markdown
from barrierlab.checker.report.write import render_json
from barrierlab.model.versions import BASES

#: What `--profile both` checks (a target may be judged by fewer: asyncio ones by their own).
PROFILES = BASES

REPORTS = Path(__file__).resolve().parents[3] / "reports"
#: A correct target runs every scenario to its end under both profiles (about 40 s): slow tier.
#: The seeded bug stops at its violations, so it stays in the fast tier.
RERUN = [
    pytest.param("barrierlab.impl.sense_reversing:Barrier", marks=pytest.mark.slow),
    "barrierlab.impl.bugs.index_off_by_one:Barrier",
]
STALE = (
    "reports/ is stale: regenerate it with "
    "`barrierlab report --bundled --profile both --jobs 2 --out reports/`"
)


@pytest.fixture(scope="module")
def committed():
    return [
        json.loads((REPORTS / f"{slug(t)}.json").read_text(encoding="utf-8"))
        for t in bundled_targets()
    ]


def test_every_bundled_target_has_a_report_made_with_the_bundled_settings(committed):
    settings = Settings(profiles=PROFILES).to_json()
    assert [r["target"] for r in committed] == bundled_targets()
    for report in committed:
        expected = _profiles_of(report["target"], PROFILES)
        assert report["settings"] == {**settings, "profiles": list(expected)}, STALE
        assert [r["profile"] for r in report["results"]] == list(expected), STALE


def test_files_rendered_from_the_committed_json_are_current(committed):
    for report in committed:
        path = REPORTS / f"{report['slug']}.json"
        assert path.read_text(encoding="utf-8") == render_json(report), STALE
        assert (REPORTS / f"{report['slug']}.md").read_text(encoding="utf-8") == render_markdown(
            report
        ), STALE
    assert (REPORTS / "index.html").read_text(encoding="utf-8") == render_html(committed), STALE
    assert (REPORTS / "junit.xml").read_text(encoding="utf-8") == render_junit(committed), STALE


@pytest.mark.parametrize("target", RERUN)
def test_rerunning_a_target_gives_the_committed_files(target):
    (report,) = run([target], Settings(profiles=PROFILES))
    assert (REPORTS / f"{report['slug']}.json").read_text(encoding="utf-8") == render_json(
        report
    ), STALE
    assert (REPORTS / f"{report['slug']}.md").read_text(encoding="utf-8") == render_markdown(
        report
    ), STALE


def test_the_rejected_event_is_marked_in_every_format(committed):
    """Spec violations rejected mid-trace mark that event (numbered from 0, as messages do)."""
    from barrierlab.checker.report.text import rejected_where, timeline

    checked = 0
    for report in committed:
        for r in report["results"]:
            for v in r["violations"]:
                at = v["rejected_at"]
                rows = timeline(v)
                marked = [row[0] for row in rows if row[5]]
                if at is None or at >= len(v["trace"]):
                    assert marked == []
                    continue
                assert marked == [at] and rejected_where(v) == f"event #{at}"
                checked += 1
    assert checked > 10


def test_each_seeded_bug_is_reported_violating_what_the_catalogue_names(committed):
    """The report of each bug names (one of) the rules or kinds its catalogue entry names; the
    correct barriers violate nothing under the documented profile. A bug that needs a generated
    scenario (``outside_catalogue``) is asked to show only in a report that ran generated
    scenarios (those a default report probes hold each one's shape); asyncio targets are
    checked in test_asyncio_report.py."""
    from barrierlab.impl.targets import SHAPES, TARGETS

    by_spec = {t.spec: t for t in (*TARGETS.values(), *SHAPES)}
    for report in committed:
        info = by_spec.get(report["target"])
        if info is None or (info.outside_catalogue and not report["settings"].get("generated")):
            continue
        documented = report["results"][0]
        named = {v["row"] for v in documented["violations"]} | {
            v["kind"] for v in documented["violations"]
        }
        if info.kind == "correct":
            assert documented["verdict"] == "pass", report["target"]
            assert all(row["verdict"] != "violated" for row in documented["rules"])
        else:
            assert named & {info.expected, *info.also}, (report["target"], named)
            rows = {row["id"]: row["verdict"] for row in documented["rules"]}
            assert any(rows.get(v["row"]) == "violated" for v in documented["violations"])
