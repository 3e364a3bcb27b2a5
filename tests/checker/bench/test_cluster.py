"""The spreading bench's table marks speed-ups the workers cannot explain, and unequal work."""

from __future__ import annotations

from barrierlab.checker.bench.cluster import Row, table


def test_impossible_speed_ups_and_unequal_work_are_marked():
    one = Row("c", "1 process", 10.0, 100)
    rows = [
        one,
        Row("c", "2 processes", 6.0, 100, against="1 process"),
        Row("c", "Dask 2 workers", 4.0, 100, against="1 process"),
        Row("c", "Dask 1 worker", 10.0, 90, against="1 process"),
    ]
    lines = table(rows)
    assert lines[3].endswith("| 1.67x vs 1 process |  | 0.00 |")
    assert "2.50x vs 1 process (a)" in lines[4]
    assert "1.00x vs 1 process (b)" in lines[5]
    assert any(line.startswith("(a) ") for line in lines)
    assert any(line.startswith("(b) ") for line in lines)
    assert not any(line.startswith("(") for line in table(rows[:2]))
