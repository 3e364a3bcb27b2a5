"""accept(): argument checks and the verdict's fields."""

from __future__ import annotations

import pytest

from barrierlab.model.accept import Verdict, accept
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import Call, Return

PAIR = "t0 wait; t1 wait; t1 act; t1 end; t1 = 1; t0 = 0"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"parties": 0}, "parties"),
        ({"parties": -3}, "parties"),
        ({"parties": 2, "profile": "java"}, "profile"),
        ({"parties": 2, "default_timeout": "soon"}, "default_timeout"),
    ],
)
def test_bad_arguments_raise_invalid_argument(kwargs, match):
    with pytest.raises(InvalidArgument, match=match):
        accept([], **kwargs)


def test_a_non_event_is_invalid():
    with pytest.raises(InvalidArgument, match="not a trace event"):
        accept([("call", 0)], parties=1)
    with pytest.raises(InvalidArgument, match="thread ids"):
        accept([Call(-1, "wait")], parties=1)


def test_the_empty_trace_is_accepted():
    v = accept([], parties=3)
    assert v.ok and v.states == () and v.index is None and v.rule is None


def test_an_accepted_verdict_describes_its_path(trace_of):
    trace = trace_of(PAIR)
    v = accept(trace, parties=2, has_action=True)
    assert isinstance(v, Verdict) and v.ok
    assert len(v.states) == len(trace)
    assert "t1 runs the action" in v.states[2]
    assert "t1 ran the action" in v.states[3]
    assert {"R-RELEASE", "R-ACTION-ONCE", "R-INDEX"} <= v.rules_exercised
    assert all(" -> " in edge for edge in v.edges)
    assert v == accept(trace, parties=2, has_action=True)


def test_cpython_exercises_its_own_rules(trace_of):
    v = accept(trace_of(PAIR), parties=2, has_action=True, profile="cpython")
    assert {"C-ACTION-LAST", "C-INDEX-ORDER"} <= v.rules_exercised
    assert v.profile == "cpython"


def test_an_abort_held_off_by_the_action_exercises_the_action_lock(trace_of):
    held = "t0 wait; t1 wait; t1 act; t2 abort; t1 end; t1 = 1; t0 = 0; t2 = None"
    v = accept(trace_of(held), parties=2, has_action=True, profile="cpython")
    assert v.ok and "C-ACTION-LOCK" in v.rules_exercised
    after = "t0 wait; t1 wait; t1 act; t1 end; t1 = 1; t0 = 0; t2 abort; t2 = None"
    assert (
        "C-ACTION-LOCK"
        not in accept(
            trace_of(after), parties=2, has_action=True, profile="cpython"
        ).rules_exercised
    )


def test_a_rejection_says_what_was_allowed(trace_of):
    trace = trace_of("t0 wait; t1 wait; t1 = 1")
    v = accept((*trace, Return(0, "wait", 1)), parties=2)
    assert (v.ok, v.rule, v.index) == (False, "R-INDEX", 3)
    assert v.allowed == ("t0 returns 0 from wait",)
    assert v.message.startswith("event 3 (t0 returns 1 from wait) breaks R-INDEX")
    assert len(v.states) == 3


def test_the_end_of_a_complete_trace_is_judged(trace_of):
    trace = trace_of("t0 wait; t1 wait")
    v = accept(trace, parties=2)
    assert (v.ok, v.index, v.event) == (False, 2, None)
    assert "t0 returns 0 from wait" in v.allowed
    assert accept(trace, parties=2, complete=False).ok
