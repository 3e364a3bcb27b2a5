"""Footprints: the per-line analysis, and searches with footprints against searches without.

The reduced search (footprints and DPOR) must never lose an outcome: on small scenarios it
reaches every trace and verdict plain DFS without footprints reaches (it may reach more: with
footprints, recording an outcome is a step of its own, so a thread may be descheduled between
returning and being seen to return, as real threads are), and the same traces as plain DFS
with footprints. The quality tier (tests/quality/test_reduction.py) does the same on every
bundled barrier.
"""

from __future__ import annotations

import threading

import pytest
from reduction import classes, explore_all

from barrierlab.checker.config import Config
from barrierlab.checker.runtime.bytecode import analyse
from barrierlab.checker.runtime.footprint import Footprint
from barrierlab.checker.scenario import Scenario

USER = "barrierlab.impl.user_style:Barrier"
SHARED: list = []


class _Box:
    def __init__(self):
        self.items = []
        self.count = 0
        self.cond = threading.Condition()

    def lines(self, x):
        y = x + 1  # local
        self.count = y  # write count
        self.items.append(y)  # read items attribute, write the list
        with self.cond:  # read cond
            pass
        print(self.items)  # an untraced call with a shared argument
        return y


def _infos(function):
    first = function.__code__.co_firstlineno
    return {line - first: info for line, info in analyse(function.__code__).items()}


def test_a_line_on_locals_only_is_local_and_one_on_shared_state_is_not():
    infos = _infos(_Box.lines)
    assert not infos[1].universal  # x + 1: local when x holds a number (seen at run time)
    assert not infos[2].local and not infos[2].universal
    assert ("wa", ("L", "self"), "count") in infos[2].accesses
    assert any(kind == "call" for kind, *_ in infos[3].accesses)
    assert not infos[4].universal
    assert infos[7].local


class _Shapes:
    """Lines whose bytecode differs across versions (3.12's inlined comprehensions, 3.13's
    super-instructions on two locals, keyword calls, function attributes, f-strings)."""

    def lines(self, a, b):
        a, b = b, a  # two locals swapped
        x = a  # a local copied, then shared state below
        self.q = x  # a local loaded beside the attribute's base
        self.cond.wait_for(a, timeout=b)  # a keyword call
        g = lambda t=1: t  # noqa: E731 (a function with a default)
        s = f"{a!r}"  # an f-string with a conversion
        if self.flag and not a:  # truth tests (3.13: through TO_BOOL)
            pass
        return [v for v in self.items], g, s  # a comprehension over shared state


def test_every_versions_bytecode_of_plain_lines_is_followed():
    infos = _infos(_Shapes.lines)
    assert [line for line, info in infos.items() if info.universal] == []
    assert ("wa", ("L", "self"), "q") in infos[3].accesses
    assert any(k == "call" and v[-1] == "wait_for" for k, v, _ in infos[4].accesses)
    assert infos[1].local and infos[2].local and infos[5].local
    assert ("rc", ("A", ("L", "self"), "flag"), None) in infos[7].accesses
    assert ("ra", ("L", "self"), "items") in infos[9].accesses
    # No line reads the contents of a value the analysis lost track of (unknown at run time).
    unknown = [line for line, info in infos.items() if ("rc", ("?",), None) in info.accesses]
    assert unknown == []


def test_a_call_into_unknown_code_makes_the_line_unknown_at_run_time():
    # print is not a known pure builtin: resolving its line gives None (dependent with all).
    from barrierlab.checker.runtime.footprint import LineRecord, Objects

    class Run:
        footprint_objects = Objects()
        footprint_log: list = []
        traced_files = frozenset({__file__})

        def safe_callable(self, f):
            return False

    box = _Box()
    frame = type("F", (), {"f_locals": {"self": box, "x": 1, "y": 2}, "f_globals": globals()})
    first = _Box.lines.__code__.co_firstlineno
    infos = analyse(_Box.lines.__code__)
    append = LineRecord(infos[first + 3], frame, Run()).at_start
    assert append is not None and ("i", Run.footprint_objects.number(box.items)) in append.writes
    assert LineRecord(infos[first + 6], frame, Run()).at_start is None


class _Closures:
    def lines(self):
        gen = self.gen  # a cell variable stored
        self.cond.wait_for(lambda: self.gen != gen)  # a closure loads it (and self)
        count = 0

        def bump():
            nonlocal count
            count += 1  # a store into an enclosing frame's cell

        return bump


def test_a_cell_store_and_a_closure_load_are_noted_not_unknown():
    infos = _infos(_Closures.lines)
    assert not infos[1].universal and infos[1].cell_stores == {"gen"}
    inner = {getattr(c, "co_name", ""): c for c in _Closures.lines.__code__.co_consts}
    (load,) = analyse(inner["<lambda>"]).values()
    assert not load.universal and load.free_loads == {"gen", "self"}
    assert any(info.universal for info in analyse(inner["bump"]).values())  # nonlocal: unknown


class _Reassigned:
    def lines(self, count, node):
        count += self.step  # a local loaded, then stored: resolved before the store
        node = self.head; node.seen = True  # noqa: E702  # fmt: skip
        while node.next: node = node.next  # noqa: E701  # fmt: skip
        return count


def test_a_local_a_line_stores_is_a_path_only_if_the_store_may_come_first():
    infos = _infos(_Reassigned.lines)
    assert not infos[1].universal
    assert infos[2].universal and infos[3].universal


def test_a_cell_store_conflicts_with_a_load_of_that_name_only():
    store = Footprint(cell_stores=frozenset({"gen"}))
    load = Footprint(free_loads=frozenset({"gen"}))
    other = Footprint(free_loads=frozenset({"count"}))
    assert store.conflicts(load) and load.conflicts(store)
    assert not store.conflicts(store) and not load.conflicts(load)
    assert not store.conflicts(other) and (store | other).conflicts(load)


def test_a_race_between_a_cell_store_and_another_threads_closure_is_explored():
    # A duplicate index needs one thread's closure load between the other's two cell stores:
    # each store must be a step of its own, ordered both ways with the load.
    spec = "styles:ClosureGlimpse"
    scenario = _scenario(2, "wait", "wait")
    # (The unreduced searches do not end here: 100,000 schedules do not exhaust them.)
    reduced = explore_all(spec, scenario)
    assert reduced.exhaustive
    assert {rule for _, _, rule, *_ in reduced.verdicts} == {None, "R-INDEX"}


class _Signals:
    def __init__(self):
        self.event = threading.Event()

    def lines(self):
        self.event.wait()
        self.event.is_set()
        self.event.set()


def test_waiting_on_an_event_reads_its_flag_and_setting_it_writes():
    # Event.wait and is_set only read the flag (wait under the event's own lock): two waits
    # commute; set (and clear) write it.
    from barrierlab.checker.runtime.footprint import LineRecord, Objects

    class Run:
        footprint_objects = Objects()
        footprint_log: list = []
        traced_files = frozenset({__file__})

    box = _Signals()
    frame = type("F", (), {"f_locals": {"self": box}, "f_globals": globals()})
    first = _Signals.lines.__code__.co_firstlineno
    infos = analyse(_Signals.lines.__code__)
    wait, is_set, set_ = (LineRecord(infos[first + k], frame, Run()).at_start for k in (1, 2, 3))
    flag = ("i", Run.footprint_objects.number(box.event))
    assert flag in wait.reads and flag in is_set.reads and flag in set_.writes
    assert not wait.conflicts(wait) and not wait.conflicts(is_set) and wait.conflicts(set_)


def test_footprints_conflict_on_write_write_and_read_write_only():
    r = Footprint(frozenset({("a", 1, "x")}))
    w = Footprint(frozenset(), frozenset({("a", 1, "x")}))
    assert not r.conflicts(r) and r.conflicts(w) and w.conflicts(r) and w.conflicts(w)


def test_footprints_can_be_switched_off_from_the_environment():
    assert Config().footprints
    assert not Config.from_env({"BARRIERLAB_FOOTPRINTS": "0"}).footprints


def _scenario(parties, *threads):
    return Scenario.build("s", parties=parties, threads=list(threads))


SMALL = [
    ("threading:Barrier", _scenario(2, "wait", "n_waiting"), False),
    ("threading:Barrier", _scenario(2, "wait", "abort"), False),
    ("threading:Barrier", _scenario(2, "wait(1)", "wait"), False),
    ("barrierlab.impl.bugs.notify_one_release:Barrier", _scenario(2, "wait(1)", "wait"), True),
    ("barrierlab.impl.bugs.no_drain_gate:Barrier", _scenario(2, "wait", "abort"), True),
    # Traced code beside untraced target code (a traced abort, threading.Barrier's wait).
    ("barrierlab.impl.bugs.abort_no_notify:Barrier", _scenario(2, "wait", "abort"), True),
    # A plain attribute read at sync level, racing with untraced writes under the lock.
    (USER, _scenario(2, "wait(1)", "broken"), False),
]


@pytest.mark.parametrize(("spec", "scenario", "line_level"), SMALL)
def test_the_reduced_search_loses_no_outcome(spec, scenario, line_level):
    reduced = explore_all(spec, scenario, line_level=line_level)
    old = explore_all(spec, scenario, line_level=line_level, footprints=False, reduction=False)
    plain = explore_all(spec, scenario, line_level=line_level, reduction=False, keep_runs=True)
    assert reduced.exhaustive and old.exhaustive and plain.exhaustive
    assert reduced.verdicts == old.verdicts
    assert reduced.traces >= old.traces
    assert reduced.traces == plain.traces
    # About one schedule per Mazurkiewicz class: never fewer, at most a few redundant ones.
    n = classes(plain.runs)
    assert n <= reduced.schedules - reduced.redundant <= max(2 * n, n + 4)


def test_a_user_style_barrier_is_exhausted_in_a_few_schedules():
    found = explore_all(USER, _scenario(2, "wait", "wait"))
    assert found.exhaustive and found.schedules <= 200
    assert found.verdicts == {("complete", None, None, None, None)}
