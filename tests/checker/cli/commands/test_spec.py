"""``barrierlab spec``: prints the state graph in each format; bad input exits 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from barrierlab.checker.cli.main import main


def _run(capsys, *args):
    status = main(["spec", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_dot_is_the_default(capsys):
    status, out, _ = _run(capsys, "--parties", "2")
    assert status == 0
    assert out.startswith("digraph spec {") and out.rstrip().endswith("}")
    assert "arrives (2/2) and releases the generation" in out


def test_json_and_graphml_parse(capsys):
    status, out, _ = _run(
        capsys, "--parties", "2", "--threads", "wait", "wait(1)", "--format", "json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["graph"]["parties"] == 2 and len(data["nodes"]) > 1
    status, out, _ = _run(capsys, "--parties", "2", "--format", "graphml", "--action")
    assert status == 0
    assert ET.fromstring(out).tag.endswith("graphml")


def test_summary_reports_blocked_states(capsys):
    status, out, _ = _run(capsys, "--parties", "2", "--threads", "wait", "--format", "summary")
    assert status == 0
    assert "blocked forever: 1 region(s)" in out


def test_profiles_give_different_graphs(capsys):
    args = ("--parties", "2", "--threads", "wait wait", "wait wait", "--format", "json")
    _, documented, _ = _run(capsys, *args)
    _, cpython, _ = _run(capsys, *args, "--profile", "cpython")
    assert json.loads(documented)["graph"]["profile"] == "documented"
    assert json.loads(cpython)["graph"]["profile"] == "cpython"
    assert documented != cpython


@pytest.mark.parametrize(
    "args",
    [
        ("--parties", "0"),
        ("--threads", "jump"),
        ("--threads", "wait(-1)"),
        ("--parties", "3", "--threads", "wait wait", "wait", "wait", "--max-states", "5"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args):
    status, out, err = _run(capsys, *args)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and "error" in err


def test_unknown_profile_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["spec", "--profile", "java"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13", "3.14"])
def test_a_versioned_profile_gives_cpythons_graph_and_its_construction_rule(capsys, version):
    args = ("--parties", "2", "--threads", "wait wait", "wait wait")
    _, cpython, _ = _run(capsys, *args, "--format", "json", "--profile", "cpython")
    status, pinned, _ = _run(capsys, *args, "--format", "json", "--profile", f"cpython-{version}")
    assert status == 0
    graph, base = json.loads(pinned), json.loads(cpython)
    assert graph["graph"]["profile"] == f"cpython-{version}"
    assert (graph["nodes"], graph["edges"]) == (base["nodes"], base["edges"])
    status, summary, _ = _run(
        capsys, *args, "--format", "summary", "--profile", f"cpython-{version}"
    )
    assert status == 0 and summary.startswith(f"cpython-{version} spec, parties=2")
    refuses = "parties < 1 must raise ValueError (C-PARTIES)" in summary
    assert refuses == (version >= "3.13"), summary
    assert refuses or f"not judged (CPython {version} need not refuse it)" in summary
