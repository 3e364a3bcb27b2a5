"""The synthesis benchmark runs (``--quick``); it asserts no timing."""

from __future__ import annotations

from barrierlab.checker.bench import synthesis


def test_synthesis_benchmark_runs_quick(capsys):
    assert synthesis.main(["--quick"]) == 0
    text = capsys.readouterr().out
    assert "zero_timeout_forever" in text and "catalogue + synthesis" in text
