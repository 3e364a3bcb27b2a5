"""JSON (valid against the schema), Markdown and JUnit XML say the same as each other."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

# -- a validator for the subset of JSON Schema that schema.json uses -------------------------

_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is(value, kind):
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def errors(value, schema, root, where="$"):
    """Every way ``value`` breaks ``schema``, as 'path: reason' strings."""
    if "$ref" in schema:
        node = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        yield from errors(value, node, root, where)
    for sub in schema.get("allOf", ()):
        yield from errors(value, sub, root, where)
    if "oneOf" in schema:
        matched = sum(not list(errors(value, sub, root, where)) for sub in schema["oneOf"])
        if matched != 1:
            yield f"{where}: matches {matched} of oneOf"
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, k) for k in kinds):
            yield f"{where}: {value!r} is not {schema['type']}"
            return
    if "const" in schema and value != schema["const"]:
        yield f"{where}: {value!r} != {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} not in {schema['enum']}"
    if "minimum" in schema and _is(value, "number") and value < schema["minimum"]:
        yield f"{where}: {value} < {schema['minimum']}"
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        yield f"{where}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                yield f"{where}: {key!r} is missing"
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                yield from errors(item, props[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                yield f"{where}: unexpected {key!r}"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield f"{where}: fewer than {schema['minItems']} items"
        if len(value) > schema.get("maxItems", len(value)):
            yield f"{where}: more than {schema['maxItems']} items"
        if "items" in schema:
            for i, item in enumerate(value):
                yield from errors(item, schema["items"], root, f"{where}[{i}]")


@pytest.fixture(scope="module")
def schema():
    text = files("barrierlab.checker.report").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_reports_validate_against_the_schema(reports, schema):
    for report in reports:
        assert list(errors(report, schema, schema)) == []


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda r: r.pop("settings"), "'settings' is missing"),
        (lambda r: r.__setitem__("verdict", "maybe"), "not in"),
        (lambda r: r["results"][0]["rules"][0].__setitem__("verdict", "ok"), "not in"),
        (lambda r: r["results"][0].__setitem__("seconds", 1.5), "unexpected 'seconds'"),
        (lambda r: r["results"][0]["rule_coverage"].__setitem__("covered", -1), "< 0"),
        (lambda r: r["results"][1]["violations"][0].__setitem__("replay", "x"), "match"),
        (lambda r: r["results"][1]["graph"]["violation_path"].append([1]), "oneOf"),
        (lambda r: r["results"][0]["rules"][0].__setitem__("edges", "all"), "oneOf"),
    ],
)
def test_the_validator_rejects_broken_reports(reports, schema, mutate, expected):
    broken = copy.deepcopy(reports[1])
    mutate(broken)
    found = list(errors(broken, schema, schema))
    assert any(expected in e for e in found), found


# -- Markdown and JSON ------------------------------------------------------------------------


def _md_verdicts(text):
    """{(profile, rule): verdict} from the rules tables of a Markdown report."""
    verdicts, profile = {}, None
    for line in text.splitlines():
        m = re.match(r"## Profile `(\w+)`", line)
        if m:
            profile = m[1]
        m = re.match(r"\| `([\w-]+)` \| (conforms|violated|not exercised)", line)
        if m and profile:
            verdicts[profile, m[1]] = m[2]
    return verdicts


def test_markdown_and_json_give_the_same_verdicts(report_dir, reports):
    for report in reports:
        text = (report_dir / f"{report['slug']}.md").read_text(encoding="utf-8")
        expected = {
            (r["profile"], row["id"]): row["verdict"]
            for r in report["results"]
            for row in r["rules"]
        }
        assert _md_verdicts(text) == expected
        assert f"Verdict: **{report['verdict'].upper()}**" in text
        for r in report["results"]:
            assert f"## Profile `{r['profile']}`: {r['verdict'].upper()}" in text
            for v in r["violations"]:
                assert v["replay"] in text and v["message"] in text
            for s in r["scenarios"]:
                assert f"| {s['name']} | {s['verdict']} | {s['schedules']} |" in text


def test_the_sample_has_every_verdict(reports):
    seen = {row["verdict"] for rep in reports for r in rep["results"] for row in r["rules"]}
    assert seen == {"conforms", "violated", "not exercised"}
    passing, failing = reports
    assert passing["verdict"] == "pass" and failing["verdict"] == "fail"
    for r in failing["results"]:
        rows = {row["id"]: row for row in r["rules"]}
        assert rows["R-RELEASE-ALL"]["verdict"] == "violated"
        assert r["violations"][rows["R-RELEASE-ALL"]["violation"]]["row"] == "R-RELEASE-ALL"
        assert rows["R-ABORT"]["verdict"] == "not exercised"
        assert rows["livelock"]["verdict"] == "conforms"


# -- JUnit XML ----------------------------------------------------------------------------------


def test_junit_has_a_testcase_per_rule_per_target(report_dir, reports):
    root = ET.parse(report_dir / "junit.xml").getroot()
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    expected = [
        (f"{rep['slug']}.{r['profile']}", row["id"], row["verdict"], r, row)
        for rep in reports
        for r in rep["results"]
        for row in r["rules"]
    ]
    assert len(cases) == len(expected) == int(root.get("tests"))
    failures = 0
    for case, (classname, rule, verdict, r, row) in zip(cases, expected, strict=True):
        assert (case.get("classname"), case.get("name")) == (classname, rule)
        failure, skipped = case.find("failure"), case.find("skipped")
        assert (failure is not None) == (verdict == "violated")
        assert (skipped is not None) == (verdict == "not exercised")
        if failure is not None:
            failures += 1
            v = r["violations"][row["violation"]]
            assert failure.get("message") == v["message"]
            assert v["replay"] in failure.text
    assert (
        failures
        == int(root.get("failures"))
        == sum(1 for *_, verdict, _, _ in expected if verdict == "violated")
    )
    assert failures == sum(
        len({v["row"] for v in r["violations"]}) for rep in reports for r in rep["results"]
    )
