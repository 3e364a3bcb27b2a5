"""Reports run generated scenarios after the catalogue, by count, and every format says how
much of the generated space was covered; --no-synthesis turns it off; the files are the same
with --jobs 2."""

from __future__ import annotations

import importlib.util
import json
import os
from importlib.resources import files
from pathlib import Path

import pytest

from barrierlab.checker.cli.main import main

BUG = "barrierlab.impl.bugs.zero_timeout_forever:Barrier"  # only a generated scenario shows it
SLUG = "barrierlab.impl.bugs.zero_timeout_forever-Barrier"
SMALL = ["--max-schedules", "3", "--max-parties", "2", "--max-threads", "1", "--max-ops", "1"]


def _errors():
    """The schema validator of test_formats.py beside this file."""
    spec = importlib.util.spec_from_file_location(
        "_formats", Path(__file__).with_name("test_formats.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.errors


def _report(tmp_path, name, *extra):
    out = tmp_path / name
    out.mkdir()
    assert main(["report", BUG, *SMALL, *extra, "--out", str(out)]) == 0
    return out


def test_the_terminal_says_how_much_of_the_space_was_covered(tmp_path, capsys):
    _report(tmp_path, "said", "--generated", "3")
    said = capsys.readouterr().out
    assert f"{BUG}: documented FAIL (generated: 3 tried: 2 exh., 0 smp., 1 fail)" in said


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    base = tmp_path_factory.mktemp("synthesis")
    return (
        _report(base, "on", "--generated", "4"),
        _report(base, "jobs", "--generated", "4", "--jobs", "2"),
        _report(base, "off", "--no-synthesis"),
    )


def test_a_report_runs_generated_scenarios_and_every_format_says_so(made):
    on = made[0]
    report = json.loads((on / f"{SLUG}.json").read_text(encoding="utf-8"))
    schema = json.loads(files("barrierlab.checker.report").joinpath("schema.json").read_text())
    assert list(_errors()(report, schema, schema)) == []
    assert report["settings"]["generated"] == 4
    [result] = report["results"]
    space = result["synthesis"]
    assert space["limit"] == 4 and space["tried"] == 4 and space["failed"] >= 1
    assert space["tried"] == space["exhausted"] + space["sampled"] + space["failed"]
    assert result["verdict"] == "fail"  # the catalogue alone passes it (see the off report)
    shown = result["violations"][0]
    assert shown["scenario"]["threads"] == ["wait(0)"]
    markdown = (on / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "Generated scenarios (parties <= 2, threads <= 1, steps <= 1" in markdown
    assert "4 tried (the first 4 asked for)" in markdown
    html = (on / "index.html").read_text(encoding="utf-8")
    assert "generated scenarios</th>" in html and "4 tried (the first 4 asked for)" in html
    junit = (on / "junit.xml").read_text(encoding="utf-8")
    assert '<property name="synthesis.tried" value="4"/>' in junit


def test_no_synthesis_reports_say_so_and_miss_the_bug(made):
    report = json.loads((made[2] / f"{SLUG}.json").read_text(encoding="utf-8"))
    [result] = report["results"]
    assert result["synthesis"] is None and report["settings"]["generated"] == 0
    assert result["verdict"] == "pass"
    assert "Generated scenarios: none (synthesis off)." in (made[2] / f"{SLUG}.md").read_text()


def test_the_files_are_the_same_with_jobs(made):
    on, jobs = made[0], made[1]
    assert sorted(os.listdir(on)) == sorted(os.listdir(jobs))
    for name in os.listdir(on):
        assert (on / name).read_bytes() == (jobs / name).read_bytes(), name
