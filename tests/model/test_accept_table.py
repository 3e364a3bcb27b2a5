"""Hand-written traces for every rule: what each profile accepts and what it rejects, and why.

Each row: an id, the barrier (parties and options), a trace in the notation of conftest.py, and
the expected verdict under ``documented`` and under ``cpython``: None to accept, else the rule
ID the rejection must name. ``complete`` defaults to True (the run ended because nobody could
move); rows with pending calls that are legitimately cut short say ``complete=False``.
"""

from __future__ import annotations

import pytest

from barrierlab.model.accept import accept
from barrierlab.model.events import Call, Return
from barrierlab.model.rules import CONSTRUCTION, RULES

OK = None
A = {"has_action": True}
CUT = {"complete": False}

ROWS = [
    # -- R-RELEASE ----------------------------------------------------------------------
    ("release-pair", 2, {}, "t0 wait; t1 wait; t1 = 1; t0 = 0", OK, OK),
    ("release-early", 2, CUT, "t0 wait; t0 = 0", "R-RELEASE", "R-RELEASE"),
    ("release-one-party", 1, {}, "t0 wait; t0 = 0; t0 wait; t0 = 0", OK, OK),
    ("release-before-third", 3, CUT, "t0 wait; t1 wait; t1 = 1", "R-RELEASE", "R-RELEASE"),
    # -- R-RELEASE-ALL ------------------------------------------------------------------
    ("all-deadlock", 2, {}, "t0 wait; t1 wait", "R-RELEASE-ALL", "R-RELEASE-ALL"),
    ("all-one-stuck", 2, {}, "t0 wait; t1 wait; t1 = 1", "R-RELEASE-ALL", "R-RELEASE-ALL"),
    (
        "all-released-raises",
        2,
        {},
        "t0 wait; t1 wait; t1 = 1; t0 !",
        "R-RELEASE-ALL",
        "R-RELEASE-ALL",
    ),
    ("all-lonely-waiter-ok", 2, {}, "t0 wait", OK, OK),
    ("all-cut-short-ok", 2, CUT, "t0 wait; t1 wait", OK, OK),
    # -- R-INDEX ------------------------------------------------------------------------
    ("index-duplicate", 2, {}, "t0 wait; t1 wait; t1 = 0; t0 = 0", "R-INDEX", "R-INDEX"),
    ("index-out-of-range", 2, {}, "t0 wait; t1 wait; t1 = 2", "R-INDEX", "R-INDEX"),
    ("index-negative", 2, {}, "t0 wait; t1 wait; t1 = -1", "R-INDEX", "R-INDEX"),
    ("index-not-int", 2, {}, "t0 wait; t1 wait; t1 = '1'", "R-INDEX", "R-INDEX"),
    ("index-any-order-one-gap", 3, {}, "t0 wait; t1 wait; t2 wait; t0 = 2; t1 = 0; t2 = 1", OK, OK),
    (
        "index-arrival-order",
        2,
        {},
        "t0 wait; t1 n_waiting; t1 = 1; t1 wait; t1 = 0; t0 = 1",
        OK,
        "C-INDEX-ORDER",
    ),
    # -- R-REUSE ------------------------------------------------------------------------
    (
        "reuse-two-rounds",
        2,
        {},
        "t0 wait; t1 wait; t0 = 0; t1 = 1; t1 wait; t0 wait; t0 = 1; t1 = 0",
        OK,
        OK,
    ),
    (
        "reuse-early-second",
        2,
        CUT,
        "t0 wait; t1 wait; t0 = 0; t1 = 1; t0 wait; t0 = 0",
        "R-REUSE",
        "R-REUSE",
    ),
    (
        "reuse-stuck-second",
        2,
        {},
        "t0 wait; t1 wait; t0 = 0; t1 = 1; t0 wait; t1 wait",
        "R-RELEASE-ALL",
        "R-RELEASE-ALL",
    ),
    # -- R-ACTION-ONCE --------------------------------------------------------------------
    ("action-ok", 2, A, "t0 wait; t1 wait; t1 act; t1 end; t1 = 1; t0 = 0", OK, OK),
    ("action-missing", 2, A, "t0 wait; t1 wait; t1 = 1; t0 = 0", "R-ACTION-ONCE", "R-ACTION-ONCE"),
    ("action-without-action", 2, {}, "t0 wait; t1 wait; t1 act", "R-ACTION-ONCE", "R-ACTION-ONCE"),
    ("action-too-early", 2, A, "t0 wait; t0 act", "R-ACTION-ONCE", "R-ACTION-ONCE"),
    (
        "action-twice",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end; t0 act",
        "R-ACTION-ONCE",
        "R-ACTION-ONCE",
    ),
    ("action-outsider", 2, A, "t0 wait; t1 wait; t2 act", "R-ACTION-ONCE", "R-ACTION-ONCE"),
    (
        "action-by-first-arrival",
        2,
        A,
        "t0 wait; t1 n_waiting; t1 = 1; t1 wait; t0 act; t0 end; t0 = 0; t1 = 1",
        OK,
        "C-ACTION-LAST",
    ),
    ("action-never-runs", 2, A, "t0 wait; t1 wait", "R-RELEASE-ALL", "R-RELEASE-ALL"),
    # -- R-ACTION-FAIL --------------------------------------------------------------------
    (
        "fail-ok",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end ValueError; t1 ! ValueError; t0 !",
        OK,
        OK,
    ),
    (
        "fail-other-returns",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end ValueError; t1 ! ValueError; t0 = 0",
        "R-ACTION-FAIL",
        "R-ACTION-FAIL",
    ),
    (
        "fail-runner-returns",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end ValueError; t1 = 1",
        "R-ACTION-FAIL",
        "R-ACTION-FAIL",
    ),
    (
        "fail-runner-raises-broken",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end ValueError; t1 !; t0 !",
        OK,
        "C-ACTION-LAST",
    ),
    (
        "fail-then-broken",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t1 end ValueError; t1 ! ValueError; t0 !; t0 wait; t0 !",
        OK,
        OK,
    ),
    # -- R-TIMEOUT ----------------------------------------------------------------------
    ("timeout-on-time", 2, {}, "t0 wait(1); @1 t0 !", OK, OK),
    ("timeout-zero", 2, {}, "t0 wait(0); t0 !", OK, OK),
    ("timeout-early", 2, {}, "t0 wait(1); @0.5 t0 !", "R-TIMEOUT", "R-TIMEOUT"),
    ("timeout-never", 2, {}, "t0 wait(1)", "R-TIMEOUT", "R-TIMEOUT"),
    ("timeout-released-first", 2, {}, "t0 wait(1); @2 t1 wait; t1 = 1; t0 = 0", OK, OK),
    ("timeout-others-stuck", 3, {}, "t0 wait(1); t1 wait; @1 t0 !", "R-TIMEOUT", "R-TIMEOUT"),
    ("timeout-breaks-others", 3, {}, "t0 wait(1); t1 wait; @1 t0 !; t1 !", OK, OK),
    (
        "timeout-in-action",
        2,
        A,
        "t0 wait(1); t1 wait; t1 act; @1 t0 !; t1 end; t1 !",
        OK,
        "C-ACTION-LOCK",
    ),
    # -- R-TIMEOUT-DEFAULT ----------------------------------------------------------------
    ("default-on-time", 2, {"default_timeout": 1.0}, "t0 wait; @1 t0 !", OK, OK),
    (
        "default-early",
        2,
        {"default_timeout": 1.0},
        "t0 wait; @0.5 t0 !",
        "R-TIMEOUT-DEFAULT",
        "R-TIMEOUT-DEFAULT",
    ),
    (
        "default-never",
        2,
        {"default_timeout": 1.0},
        "t0 wait",
        "R-TIMEOUT-DEFAULT",
        "R-TIMEOUT-DEFAULT",
    ),
    (
        "default-overridden",
        2,
        {"default_timeout": 1.0},
        "t0 wait(5); @1 t0 !",
        "R-TIMEOUT",
        "R-TIMEOUT",
    ),
    ("default-overridden-ok", 2, {"default_timeout": 1.0}, "t0 wait(5); @5 t0 !", OK, OK),
    # -- R-BROKEN-WAIT --------------------------------------------------------------------
    ("broken-raises", 2, {}, "t0 wait(0); t0 !; t1 wait; t1 !", OK, OK),
    (
        "broken-lets-through",
        2,
        {},
        "t0 wait(0); t0 !; t1 wait; t2 wait; t1 = 0",
        "R-BROKEN-WAIT",
        "R-BROKEN-WAIT",
    ),
    ("broken-blocks", 2, {}, "t0 wait(0); t0 !; t1 wait", "R-BROKEN-WAIT", "R-BROKEN-WAIT"),
    ("spurious-raise", 2, {}, "t0 wait; t0 !", "R-BROKEN-WAIT", "R-BROKEN-WAIT"),
    # -- R-RESET --------------------------------------------------------------------------
    ("reset-wakes", 2, {}, "t0 wait; t1 reset; t1 = None; t0 !", OK, OK),
    ("reset-empty", 2, {}, "t1 reset; t1 = None; t0 wait; t1 wait; t0 = 0; t1 = 1", OK, OK),
    (
        "reset-no-wakeup",
        2,
        {},
        "t0 wait; t1 n_waiting; t1 = 1; t1 reset; t1 = None",
        "R-RESET",
        "R-RESET",
    ),
    (
        "reset-keeps-broken",
        2,
        {},
        "t2 wait(0); t2 !; t1 reset; t1 = None; t0 wait; t0 !",
        "R-RESET",
        "R-RESET",
    ),
    (
        "reset-keeps-count",
        2,
        CUT,
        "t0 wait; t1 n_waiting; t1 = 1; t1 reset; t1 = None; t0 !; t2 wait; t2 = 0",
        "R-RESET",
        "R-RESET",
    ),
    (
        "reset-flag",
        2,
        {},
        "t2 wait(0); t2 !; t1 reset; t1 = None; t1 broken; t1 = True",
        "R-BROKEN-FLAG",
        "R-BROKEN-FLAG",
    ),
    ("reset-returns-value", 2, {}, "t1 reset; t1 = 0", "R-RESET", "R-RESET"),
    (
        "reset-during-drain",
        2,
        {},
        "t0 wait; t1 wait; t1 = 1; t1 reset; t1 = None; t0 !",
        OK,
        "C-RESET-DRAIN",
    ),
    (
        "reset-during-action",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t2 reset; t2 = None; t1 end; t1 !; t0 !",
        OK,
        "C-ACTION-LOCK",
    ),
    # -- R-ABORT --------------------------------------------------------------------------
    ("abort-wakes", 2, {}, "t0 wait; t1 abort; t1 = None; t0 !", OK, OK),
    ("abort-future", 2, {}, "t1 abort; t1 = None; t0 wait; t0 !", OK, OK),
    ("abort-future-blocks", 2, {}, "t1 abort; t1 = None; t0 wait", "R-ABORT", "R-ABORT"),
    (
        "abort-future-passes",
        2,
        {},
        "t1 abort; t1 = None; t0 wait; t1 wait; t1 = 0",
        "R-ABORT",
        "R-ABORT",
    ),
    ("abort-fails-released", 2, {}, "t0 wait; t1 wait; t1 = 1; t1 abort; t1 = None; t0 !", OK, OK),
    (
        "abort-fails-last-arrival",
        2,
        {},
        "t0 wait; t1 wait; t0 = 0; t0 abort; t0 = None; t1 !",
        OK,
        "C-ACTION-LAST",
    ),
    (
        "abort-flag",
        2,
        {},
        "t1 abort; t1 = None; t1 broken; t1 = False",
        "R-BROKEN-FLAG",
        "R-BROKEN-FLAG",
    ),
    # -- R-PARTIES / R-N-WAITING / R-BROKEN-FLAG ----------------------------------------------
    ("parties-ok", 3, {}, "t0 parties; t0 = 3", OK, OK),
    ("parties-wrong", 3, {}, "t0 parties; t0 = 2", "R-PARTIES", "R-PARTIES"),
    ("parties-bool", 1, {}, "t0 parties; t0 = True", "R-PARTIES", "R-PARTIES"),
    ("n-waiting-ok", 3, CUT, "t0 wait; t1 n_waiting; t1 = 1", OK, OK),
    ("n-waiting-either", 3, CUT, "t0 wait; t1 n_waiting; t1 = 0", OK, OK),
    ("n-waiting-too-many", 3, CUT, "t0 wait; t1 n_waiting; t1 = 2", "R-N-WAITING", "R-N-WAITING"),
    (
        "n-waiting-broken",
        3,
        CUT,
        "t0 wait; t1 abort; t1 = None; t1 n_waiting; t1 = 1",
        "R-N-WAITING",
        "R-N-WAITING",
    ),
    (
        "n-waiting-in-action",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t2 n_waiting; t2 = 1; t1 end; t1 = 1; t0 = 0",
        OK,
        "C-N-WAITING",
    ),
    (
        "n-waiting-releaser",
        2,
        A,
        "t0 wait; t1 wait; t1 act; t2 n_waiting; t2 = 2; t1 end; t1 = 1; t0 = 0",
        OK,
        OK,
    ),
    ("broken-flag-ok", 2, {}, "t0 wait(0); t0 !; t1 broken; t1 = True", OK, OK),
    (
        "broken-flag-wrong",
        2,
        {},
        "t0 wait(0); t0 !; t1 broken; t1 = False",
        "R-BROKEN-FLAG",
        "R-BROKEN-FLAG",
    ),
    ("broken-flag-int", 2, {}, "t1 broken; t1 = 0", "R-BROKEN-FLAG", "R-BROKEN-FLAG"),
    # -- R-ERROR-TYPE ---------------------------------------------------------------------
    ("error-wait-other", 2, {}, "t0 wait; t0 ! ValueError", "R-ERROR-TYPE", "R-ERROR-TYPE"),
    ("error-reset-raises", 2, {}, "t0 reset; t0 ! RuntimeError", "R-ERROR-TYPE", "R-ERROR-TYPE"),
    ("error-read-raises", 2, {}, "t0 n_waiting; t0 ! RuntimeError", "R-ERROR-TYPE", "R-ERROR-TYPE"),
    (
        "error-abort-raises",
        2,
        {},
        "t0 abort; t0 ! BrokenBarrierError",
        "R-ERROR-TYPE",
        "R-ERROR-TYPE",
    ),
    # -- C-DRAIN ----------------------------------------------------------------------------
    (
        "drain-overtaken",
        2,
        {},
        "t0 wait; t1 wait; t0 = 0; t2 wait; t3 wait; t3 = 1; t4 abort; t4 = None; t1 !; t2 = 0",
        OK,
        "C-DRAIN",
    ),
    (
        "drain-join-next",
        2,
        {},
        "t0 wait; t1 wait; t0 = 0; t2 wait; t3 wait; t3 = 1; t2 = 0; t1 = 1",
        OK,
        OK,
    ),
    # -- T-WELLFORMED ---------------------------------------------------------------------
    ("wf-call-twice", 2, CUT, "t0 wait; t0 wait", "T-WELLFORMED", "T-WELLFORMED"),
    ("wf-time-back", 2, CUT, "@2 t0 wait; @1 t1 wait", "T-WELLFORMED", "T-WELLFORMED"),
    ("wf-end-unstarted", 2, A, "t0 wait; t1 wait; t1 end", "T-WELLFORMED", "T-WELLFORMED"),
    ("wf-action-never-ends", 2, A, "t0 wait; t1 wait; t1 act", "T-WELLFORMED", "T-WELLFORMED"),
]


@pytest.mark.parametrize("pool", [False, True], ids=["by-name", "pool"])
@pytest.mark.parametrize("profile", ["documented", "cpython"])
@pytest.mark.parametrize(
    ("parties", "options", "text", "documented", "cpython"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_rule_table(trace_of, profile, pool, parties, options, text, documented, cpython):
    expected = documented if profile == "documented" else cpython
    trace = trace_of(text)
    v = accept(trace, parties=parties, profile=profile, pool=pool, **options)
    assert (v.ok, v.rule) == (expected is None, expected), v.message
    if expected is not None:
        assert v.rule in RULES
        assert profile in RULES[v.rule].profiles
        assert 0 <= v.index <= len(trace)
        assert v.event == (trace[v.index] if v.index < len(trace) else None)
        assert len(v.states) == v.index
        assert v.message and v.allowed


def test_the_table_covers_every_rule():
    named = {row[4] for row in ROWS} | {row[5] for row in ROWS}
    threading_rules = {r for r, rule in RULES.items() if "asyncio" not in rule.profiles}
    # Construction rules are judged when the barrier is built, never on a trace; the asyncio
    # profile's: tests/model/test_asyncio_profile.py.
    assert threading_rules - CONSTRUCTION <= named


def test_rows_have_unique_ids():
    ids = [row[0] for row in ROWS]
    assert len(ids) == len(set(ids))


def test_return_without_call_is_malformed():
    v = accept([Return(0, "wait", 0)], parties=1)
    assert (v.ok, v.rule, v.index) == (False, "T-WELLFORMED", 0)


def test_unknown_operation_is_malformed():
    v = accept([Call(0, "frobnicate")], parties=1, complete=False)
    assert (v.ok, v.rule) == (False, "T-WELLFORMED")


def test_return_of_the_wrong_operation_is_malformed():
    v = accept([Call(0, "reset"), Return(0, "abort")], parties=1)
    assert (v.ok, v.rule, v.index) == (False, "T-WELLFORMED", 1)
