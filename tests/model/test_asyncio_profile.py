"""The asyncio profile: cancellation leaves the barrier in the same state; each rule can fail."""

from __future__ import annotations

import pytest

from barrierlab.model.accept import accept
from barrierlab.model.events import Call, Raise, Return
from barrierlab.model.rules import RULES, rules_for


def _ok(trace, parties=2):
    return accept(trace, parties=parties, profile="asyncio")


def test_every_asyncio_rule_cites_asyncio_documentation():
    ids = rules_for("asyncio")
    assert {"A-CANCEL", "A-CANCEL-STATE", "A-CANCEL-FILLING", "A-INDEX", "A-TIMEOUT"} <= ids
    assert all(r.startswith("A-") for r in ids)
    assert all(
        "task" in RULES[r].source or "asyncio" in RULES[r].source
        for r in ids - {"A-REUSE", "A-BROKEN-FLAG", "A-ABORT"}
    )


def test_a_waiter_cancelled_while_filling_needs_a_replacement():
    t = [Call(0, "wait"), Raise(0, "wait", "CancelledError"), Call(1, "wait"), Return(1, "wait", 0)]
    v = _ok(t)
    assert not v.ok and v.rule == "A-CANCEL-FILLING"
    good = [
        Call(0, "wait"),
        Raise(0, "wait", "CancelledError"),
        Call(1, "wait"),
        Call(2, "wait"),
        Return(1, "wait", 0),
        Return(2, "wait", 1),
    ]
    assert _ok(good).ok


def test_a_cancellation_does_not_break_the_barrier():
    t = [
        Call(0, "wait"),
        Call(1, "wait"),
        Raise(0, "wait", "CancelledError"),
        Raise(1, "wait", "BrokenBarrierError"),
    ]
    v = _ok(t)
    assert not v.ok and v.rule == "A-CANCEL-STATE"


def test_a_released_task_may_be_cancelled_and_the_others_return():
    t = [Call(0, "wait"), Call(1, "wait"), Return(1, "wait", 1), Raise(0, "wait", "CancelledError")]
    assert _ok(t).ok


def test_timeout_error_only_after_the_deadline():
    early = [Call(0, "wait", 2.0, 0.0), Raise(0, "wait", "TimeoutError", 1.0)]
    late = [Call(0, "wait", 2.0, 0.0), Raise(0, "wait", "TimeoutError", 2.0)]
    assert not _ok(early).ok
    assert _ok(late).ok
    untimed = [Call(0, "wait"), Raise(0, "wait", "TimeoutError", 5.0)]
    assert not _ok(untimed).ok


def test_n_waiting_drops_when_a_waiter_is_cancelled():
    t = [
        Call(0, "wait"),
        Raise(0, "wait", "CancelledError"),
        Call(1, "n_waiting"),
        Return(1, "n_waiting", 1),
    ]
    v = _ok(t)
    assert not v.ok and v.rule == "A-N-WAITING"


@pytest.mark.parametrize("profile", ["documented", "cpython"])
def test_threading_profiles_still_reject_cancelled_error(profile):
    t = [Call(0, "wait"), Raise(0, "wait", "CancelledError")]
    assert not accept(t, parties=2, profile=profile).ok


def _c(tid, op="wait", timeout=None, time=0.0):
    return Call(tid, op, timeout, time)


def _r(tid, value, op="wait", time=0.0):
    return Return(tid, op, value, time)


def _x(tid, error="BrokenBarrierError", op="wait", time=0.0):
    return Raise(tid, op, error, time)


#: (rule, parties, trace): one trace per asyncio rule that only that rule rejects.
TABLE = [
    ("A-RELEASE", 2, [_c(0), _r(0, 0)]),
    ("A-RELEASE-ALL", 2, [_c(0), _c(1), _r(1, 1)]),
    ("A-INDEX", 2, [_c(0), _c(1), _r(0, 0), _r(1, 0)]),
    ("A-REUSE", 2, [_c(0), _c(1), _r(0, 0), _r(1, 1), _c(0), _r(0, 0)]),
    ("A-CANCEL", 2, [_c(0, "n_waiting"), _x(0, "CancelledError", "n_waiting")]),
    ("A-CANCEL-STATE", 2, [_c(0), _c(1), _x(0, "CancelledError"), _x(1)]),
    ("A-CANCEL-FILLING", 2, [_c(0), _x(0, "CancelledError"), _c(1), _r(1, 0)]),
    ("A-TIMEOUT", 2, [_c(0, timeout=1.0), _x(0, "TimeoutError", time=0.5)]),
    ("A-BROKEN-WAIT", 2, [_c(0), _x(0)]),
    ("A-RESET", 2, [_c(0), _c(1, "reset"), _r(1, None, "reset"), _x(0), _c(2), _r(2, 0)]),
    ("A-ABORT", 2, [_c(0, "abort"), _r(0, None, "abort"), _c(1), _c(2), _r(1, 0)]),
    ("A-PARTIES", 2, [_c(0, "parties"), _r(0, 3, "parties")]),
    ("A-N-WAITING", 2, [_c(0, "n_waiting"), _r(0, 1, "n_waiting")]),
    ("A-BROKEN-FLAG", 2, [_c(0, "broken"), _r(0, True, "broken")]),
    ("A-ERROR-TYPE", 2, [_c(0), _x(0, "ValueError")]),
]


@pytest.mark.parametrize(("rule", "parties", "trace"), TABLE, ids=[t[0] for t in TABLE])
def test_each_asyncio_rule_rejects_its_trace(rule, parties, trace):
    v = accept(trace, parties=parties, profile="asyncio")
    assert (v.ok, v.rule) == (False, rule), v.message
    assert "asyncio" in RULES[v.rule].profiles


def test_the_table_covers_every_asyncio_rule():
    assert {row[0] for row in TABLE} == rules_for("asyncio")


def test_a_cancelled_reset_took_effect_or_not():
    before = [_c(0), _c(1, "reset"), _x(1, "CancelledError", "reset"), _c(2), _r(2, 1), _r(0, 0)]
    after = [_c(0), _c(1, "reset"), _x(0), _x(1, "CancelledError", "reset"), _c(2), _c(0)]
    after += [_r(2, 0), _r(0, 1)]
    for trace in (before, after):
        assert accept(trace, parties=2, profile="asyncio").ok


def test_a_half_done_reset_is_rejected():
    # The waiter was failed (reset's effect), but the barrier stayed broken (no reset's end).
    half = [_c(0), _c(1, "reset"), _x(0), _x(1, "CancelledError", "reset"), _c(2), _x(2)]
    v = accept(half, parties=2, profile="asyncio")
    assert not v.ok and v.index == 5


def test_a_cancelled_abort_took_effect_or_not():
    none = [_c(0, "abort"), _x(0, "CancelledError", "abort"), _c(1), _c(2), _r(1, 0), _r(2, 1)]
    done = [_c(0, "abort"), _x(0, "CancelledError", "abort"), _c(1), _x(1)]
    assert accept(none, parties=2, profile="asyncio").ok
    assert accept(done, parties=2, profile="asyncio").ok
    # ...but not both: once a wait saw it broken, the barrier is broken
    both = [*done, _c(2), _c(3), _r(2, 0), _r(3, 1)]
    assert not accept(both, parties=2, profile="asyncio").ok


def test_reads_are_never_cancelled():
    t = [_c(0, "broken"), _x(0, "CancelledError", "broken")]
    v = accept(t, parties=2, profile="asyncio")
    assert (v.ok, v.rule) == (False, "A-CANCEL")


def test_the_state_graph_has_cancellation_edges_that_do_not_count_as_a_way_out():
    from barrierlab.model.graph import blocked_forever, state_graph
    from barrierlab.model.moves import programs_of

    G = state_graph(3, programs_of(["wait", "wait(1)", "reset"]), profile="asyncio")
    cancels = [d for *_, d in G.edges(data=True) if d.get("interrupt")]
    assert any("(CancelledError)" in d["label"] for d in cancels)
    assert any("(TimeoutError)" in d["label"] for d in cancels)
    assert any("cancelled in reset" in d["label"] for d in cancels)
    assert all("A-CANCEL" in d["rules"] for d in cancels)
    # two waits can never fill a barrier of three: only a cancellation or a reset frees them
    stuck = set().union(*blocked_forever(G))
    assert stuck and all(G.nodes[v]["blocked"] for v in stuck)
    # every state is still one the spec reaches without interrupts, or by a cancellation
    plain = state_graph(3, programs_of(["wait", "wait"]), profile="documented")
    assert len(blocked_forever(plain)) >= 1


def test_a_cancelled_trace_covers_cancellation_edges():
    from barrierlab.model.graph import edge_coverage, state_graph
    from barrierlab.model.moves import programs_of

    G = state_graph(2, programs_of(["wait", "wait", "wait"]), profile="asyncio")
    trace = [_c(0), _x(0, "CancelledError"), _c(1), _c(2), _r(1, 0), _r(2, 1)]
    v = accept(trace, parties=2, profile="asyncio")
    assert v.ok
    covered, _ = edge_coverage(G, v.edges)
    ids = {d["id"] for *_, d in G.edges(data=True) if d.get("interrupt")}
    assert covered == len(set(v.edges) & {d["id"] for *_, d in G.edges(data=True)})
    assert ids & set(v.edges)
