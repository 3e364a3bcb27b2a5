"""Progress where stderr is no terminal: a plain line now and then, never a flood."""

from __future__ import annotations

import pytest

from barrierlab.checker.cli import output


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(output, "_monotonic", lambda: now[0])
    monkeypatch.setattr(output, "_first_progress", [None])
    monkeypatch.setattr(output, "_last_progress", [0.0])
    return now


def test_a_short_command_prints_no_progress(clock, capsys):
    for step in range(100):
        clock[0] += 0.25  # 25 s in all
        output.progress(f"scenario {step}")
    assert capsys.readouterr().err == ""


def test_a_long_command_logs_a_line_every_so_often(clock, capsys):
    for step in range(400):
        clock[0] += 0.25  # 100 s in all
        output.progress(f"scenario {step}")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == int(100 // output.LOG_EVERY)
    assert lines[0].startswith(f"[{output.LOG_EVERY:.0f}s] scenario ")
