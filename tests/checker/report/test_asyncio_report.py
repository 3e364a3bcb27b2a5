"""Reports cover asyncio targets: judged by the asyncio profile only, whatever profiles the
report asks for, and listed among the bundled targets."""

from __future__ import annotations

from barrierlab.checker.report.checks import Settings, bundled_targets, run


def test_an_asyncio_target_is_reported_under_the_asyncio_profile_only():
    settings = Settings(
        profiles=("documented", "cpython"), max_schedules=5, scenarios=("aio-reset",)
    )
    [report] = run(["barrierlab.impl.asyncio_reference:Barrier"], settings)
    assert [(r["profile"], r["verdict"]) for r in report["results"]] == [("asyncio", "pass")]


def test_bundled_targets_include_the_asyncio_ones():
    bundled = bundled_targets()
    assert "asyncio:Barrier" in bundled
    assert "barrierlab.impl.asyncio_reference:Barrier" in bundled
    assert "threading:Barrier" in bundled
