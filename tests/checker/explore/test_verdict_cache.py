"""Remembered verdicts: the same answers as judging afresh, only faster."""

from __future__ import annotations

from barrierlab.checker import api
from barrierlab.checker.explore import verdict_cache as memo
from barrierlab.model.events import Call, Return

BUG = "barrierlab.impl.bugs.index_off_by_one:Barrier"


def _summary(result):
    return (
        [
            (s.scenario.name, s.schedules, s.exhaustive, sorted(s.rules), sorted(s.edges))
            for s in result.scenarios
        ],
        [(v.rule, v.token) for v in result.violations],
    )


def test_a_check_finds_the_same_with_and_without_remembered_verdicts():
    kw = dict(max_schedules=300, line_level=False, scenarios=["two-generations", "action"])
    memo._judged.cache_clear()
    warm = [_summary(api.check(t, **kw)) for t in ("threading:Barrier", BUG)]
    assert memo._judged.cache_info().hits > 0
    hits = memo._judged.cache_info().hits
    with memo.afresh():
        fresh = [_summary(api.check(t, **kw)) for t in ("threading:Barrier", BUG)]
    assert memo._judged.cache_info().hits == hits
    assert warm == fresh
    assert fresh[1][1]  # the bug is found either way


def test_values_of_other_types_are_judged_not_remembered():
    trace = (Call(0, "wait"), Return(0, "wait", [0]))
    before = memo._judged.cache_info().currsize
    v = memo.verdict(trace, parties=1)
    assert (v.ok, v.rule) == (False, "R-INDEX")
    assert memo._judged.cache_info().currsize == before


def test_equal_values_of_different_types_are_kept_apart():
    as_int = memo.verdict((Call(0, "n_waiting"), Return(0, "n_waiting", 0)), parties=1)
    as_bool = memo.verdict((Call(0, "n_waiting"), Return(0, "n_waiting", False)), parties=1)
    assert as_int.ok and not as_bool.ok
