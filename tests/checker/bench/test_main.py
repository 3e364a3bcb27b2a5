"""The benchmark runs end to end at tiny sizes and writes its report (it asserts no timing)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from barrierlab.checker.bench import __main__ as bench


def test_quick_run_writes_the_report_and_plots(tmp_path, capsys):
    assert bench.main(["--quick", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "benchmarks.md").read_text()
    for heading in (
        "## 1. Bug finding",
        "## 2. Against a peer",
        "## 2a. The catalogue alone against the catalogue plus synthesis",
        "## 3. Speed",
        "## 4. Parallel",
        "## 4a. Spreading a check",
    ):
        assert heading in text
    assert "split at depth" in text and "one-schedule tasks" in text
    assert "raw OS-thread hand-off" in text and "cores" in text and "Python 3." in text
    assert "CPython's suite catches" in (tmp_path / "baseline.md").read_text()
    for name in ("bench-growth.svg", "bench-reduction.svg"):
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
