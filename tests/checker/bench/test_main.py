"""The benchmark runs end to end at tiny sizes and writes its report (it asserts no timing)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from barrierlab.checker.bench import __main__ as bench


@pytest.mark.slow  # every section, real timings: about a minute on an idle 2-core machine
def test_quick_run_writes_the_report_and_plots(tmp_path, capsys):
    assert bench.main(["--quick", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "benchmarks.md").read_text()
    for heading in (
        "## 1. Bug finding",
        "## 2. Against a peer",
        "## 2a. The catalogue alone against the catalogue plus synthesis",
        "## 3. Speed",
        "## 4. Parallel",
        "## 3c. Trace acceptance",
        "## 3d. Footprints",
        "## 4a. Spreading a check",
        "## 5. Python builds",
    ):
        assert heading in text
    assert "split at depth" in text and "one-schedule tasks" in text
    assert "raw OS-thread hand-off" in text and "cores" in text and "Python 3." in text
    assert "CPython's suite catches" in (tmp_path / "baseline.md").read_text()
    assert "| user-style barrier, 2 x wait | line |" in text
    for name in ("bench-growth.svg", "bench-reduction.svg", "bench-footprints.svg"):
        svg = (tmp_path / name).read_text()
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "href" not in svg  # self-contained
    assert "## 4. Parallel" in capsys.readouterr().out


def test_acceptance_bench_compares_both_searches_on_accepted_traces(capsys):
    from barrierlab.checker.bench import accept as accept_bench

    accept_bench.blocked_table((4, 6), by_name_up_to=4)
    text = capsys.readouterr().out
    rows = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert [(r[0], r[1]) for r in rows] == [
        ("4", "documented"),
        ("4", "cpython"),
        ("6", "documented"),
        ("6", "cpython"),
    ]
    assert "REJECTED" not in text
    assert all(r[-1].endswith("x") for r in rows[:2]) and all(r[-1] == "-" for r in rows[2:])


def test_a_full_run_without_frontrun_stops_before_overwriting_the_report(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(bench.peer, "frontrun_command", lambda: (None, "frontrun is not installed"))
    assert bench.main(["--out", str(tmp_path)]) == 2
    assert "--without-peer" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_list_names_every_section_and_an_unknown_one_exits_2(capsys):
    assert bench.main(["--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [s.name for s in bench.SECTIONS]
    assert {"synthesis", "cluster", "builds", "accept"} <= set(listed)
    assert bench.main(["--only", "dpor,nosuch", "--out", "unused"]) == 2
    message = capsys.readouterr().err
    assert "unknown section 'nosuch'" in message and "cluster" in message


def test_only_splices_the_named_sections_and_keeps_the_others(tmp_path, capsys):
    kept = "| kept | exactly |\n|---|---|\n| 1 | 2 |"
    (tmp_path / "benchmarks.md").write_text(
        "# Benchmarks\n\nMeasured in one run of the full bench.\n\n"
        f"## 1. Bug finding: CPython's own tests against barrierlab\n\n{kept}\n\n"
        "## 3a. Partial-order reduction against plain DFS\n\nstale figures\n"
    )
    assert bench.main(["--only", "dpor,growth", "--quick", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "benchmarks.md").read_text()
    assert "stale figures" not in text and kept in text
    assert text.index("## 1. Bug") < text.index("## 3a. Partial") < text.index("## 3b. Growth")
    assert text.count("## ") == 3
    assert "Rerun alone: `python -m barrierlab.checker.bench --only dpor --quick` on " in text
    assert "load average" in text and "Measured in one run of the full bench." in text
    assert "| `single-party` |" in text  # the dpor table, measured now
    assert (tmp_path / "bench-reduction.svg").exists() and (tmp_path / "bench-growth.svg").exists()
    assert not (tmp_path / "baseline.md").exists()
