"""The acceptance benchmark runs and prints its two tables (it asserts no timing)."""

from __future__ import annotations

from barrierlab.checker.bench import accept as bench


def test_the_tables_print(capsys):
    bench.acceptance_table((10,))
    bench.graph_table(2, 2)
    out = capsys.readouterr().out
    assert "Acceptance time" in out and "State graph size" in out
    assert "REJECTED" not in out
    assert out.count("documented") >= 3 and out.count("cpython") >= 3
