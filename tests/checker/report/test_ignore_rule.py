"""``barrierlab report --ignore-rule ID``: a known deviation is looked past alike in every
format (JSON, Markdown, HTML, JUnit), with how many runs broke it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from barrierlab.checker.cli.main import main

TARGET = "barrierlab.impl.shapes.own_error_not_runtime:Barrier"  # R-ERROR-TYPE, nothing else
ARGS = [TARGET, "--max-schedules", "20", "--scenario", "timeout"]


def _report(tmp_path, *extra):
    out = tmp_path / "out"
    assert main(["report", *ARGS, *extra, "--out", str(out)]) == 0
    stem = "barrierlab.impl.shapes.own_error_not_runtime-Barrier"
    data = json.loads((out / f"{stem}.json").read_text())
    return out, stem, data


def test_without_it_the_deviation_is_a_violation(tmp_path):
    _, _, data = _report(tmp_path)
    assert data["verdict"] == "fail"
    assert "ignore_rules" not in data["settings"]  # reports without it are unchanged


def test_ignored_rule_shows_alike_in_every_format(tmp_path, schema):
    out, stem, data = _report(tmp_path, "--ignore-rule", "R-ERROR-TYPE")
    assert data["verdict"] == "pass"
    assert data["settings"]["ignore_rules"] == ["R-ERROR-TYPE"]
    assert set(data["settings"]) <= set(schema["properties"]["settings"]["properties"])
    row = next(r for r in data["results"][0]["rules"] if r["id"] == "R-ERROR-TYPE")
    assert row["verdict"] == "not applicable"
    reason = row["reason"]
    assert reason.startswith("ignored (--ignore-rule): a known deviation; ")
    assert "run" in reason and "broke it" in reason and "no run" not in reason
    markdown = (out / f"{stem}.md").read_text()
    assert "ignored (--ignore-rule): R-ERROR-TYPE" in markdown and reason in markdown
    html = (out / "index.html").read_text()
    assert "ignored (--ignore-rule): R-ERROR-TYPE" in html and reason in html
    junit = ET.parse(out / "junit.xml").getroot()
    case = next(c for c in junit.iter("testcase") if "R-ERROR-TYPE" in c.get("name", ""))
    skipped = case.find("skipped")
    assert skipped is not None and reason in skipped.get("message", "")


def test_an_unknown_rule_is_refused(tmp_path, capsys):
    assert main(["report", *ARGS, "--ignore-rule", "R-NOPE", "--out", str(tmp_path)]) == 2
    assert "unknown rule 'R-NOPE'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def schema():
    from importlib.resources import files

    text = files("barrierlab.checker.report").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)
