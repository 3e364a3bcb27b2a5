"""The catalogue of bundled targets, and every seeded-bug module against it.

Seeded bugs are never run under CPython's real-thread suite here: many of them hang it. What
is checked is that each module imports and constructs, that its docstring names the bug's rule
and smallest scenario exactly as the catalogue does, and, for the bugs a single thread shows,
that the bug is really there (the scenario's outcome differs from ``threading.Barrier``'s).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import threading

import pytest

from barrierlab.checker.scenario import Scenario
from barrierlab.impl import bugs
from barrierlab.impl.targets import BUGS, CORRECT, TARGETS, VERDICT_KINDS
from barrierlab.model.rules import RULES

#: The barrier rules of the spec, any of which a seeded bug may name (not T-, the trace's own).
KNOWN_RULES = {r for r in RULES if not r.startswith("T-")}
BUG_MODULES = sorted(m.name for m in pkgutil.iter_modules(bugs.__path__))
BY_NAME = {t.name: t for t in BUGS}


def _load(spec):
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _docstring_fields(name):
    doc = importlib.import_module(f"barrierlab.impl.bugs.{name}").__doc__ or ""
    rule = re.search(r"^Rule: (\S+)(?: \(also: ([^)]*)\))?$", doc, re.M)
    scenario = re.search(
        r"^Scenario: parties=(\d+)(?:, timeout=([\d.]+))?, threads=(\[.*?\])"
        r"(?:, action=(\S+))?$",
        doc,
        re.M,
    )
    return doc, rule, scenario


def test_every_bug_module_is_catalogued_and_every_entry_has_a_module():
    assert sorted(BY_NAME) == BUG_MODULES
    assert len(BUGS) >= 20


def test_names_are_unique_and_kinds_are_known():
    assert len(TARGETS) == len(CORRECT) + len(BUGS)
    assert {t.kind for t in CORRECT} == {"correct"}
    assert {t.kind for t in BUGS} == {"bug"}


@pytest.mark.parametrize("name", BUG_MODULES)
def test_bug_module_imports_and_constructs(name):
    info = BY_NAME[name]
    assert info.spec == f"barrierlab.impl.bugs.{name}:Barrier"
    cls = _load(info.spec)
    for barrier in (cls(2), cls(2, action=lambda: None, timeout=1.0)):
        assert barrier.parties == 2
        assert barrier.n_waiting in (0, 2)  # n_waiting_countdown reports 2, by design
        assert barrier.broken is False


@pytest.mark.parametrize("name", BUG_MODULES)
def test_bug_docstring_names_the_catalogued_rule_and_scenario(name):
    info = BY_NAME[name]
    doc, rule, scenario = _docstring_fields(name)
    assert doc.startswith("Bug: ")
    assert "BUG" in importlib.import_module(f"barrierlab.impl.bugs.{name}").__loader__.get_source(
        f"barrierlab.impl.bugs.{name}"
    ), "the buggy line is marked with a # BUG comment"
    assert rule, "the docstring has a 'Rule: ID (also: ...)' line"
    also = tuple(a.strip() for a in rule[2].split(",")) if rule[2] else ()
    assert (rule[1], also) == (info.expected, info.also)
    assert info.expected in KNOWN_RULES | set(VERDICT_KINDS)
    assert set(info.also) <= KNOWN_RULES | set(VERDICT_KINDS)
    assert info.expected not in info.also
    assert scenario, "the docstring has a 'Scenario: parties=..., threads=[...]' line"
    parties, timeout, threads, action = scenario.groups()
    assert {
        "parties": int(parties),
        "threads": json.loads(threads),
        "timeout": float(timeout) if timeout else None,
        "action": action or "none",
    } == info.scenario


@pytest.mark.parametrize("info", [t for t in TARGETS.values() if t.scenario], ids=lambda t: t.name)
def test_catalogue_scenarios_parse(info):
    scenario = Scenario.build(info.name, **info.scenario)
    assert {k: v for k, v in scenario.to_json().items() if k != "name"} == info.scenario
    timed = scenario.default_timeout is not None or any(
        step.timeout is not None for program in scenario.programs for step in program
    )
    if info.kind == "bug":
        assert info.needs_virtual_time == timed


@pytest.mark.parametrize("info", CORRECT, ids=lambda t: t.name)
def test_correct_targets_load_and_name_only_cpython_rules(info):
    assert callable(_load(info.spec))
    assert info.expected is None and info.also == ()
    assert all(r.startswith("C-") and r in KNOWN_RULES for r in info.cpython_differs)
    assert (info.scenario is not None) == bool(info.cpython_differs)


# -- the bugs a single thread shows, on a real thread ----------------------------------------

TIME_SCALE = 0.01  # scenario seconds -> real seconds
HANG = 0.5  # real seconds after which a single-thread scenario counts as blocked for good


class ActionFailed(Exception):
    pass


def _run_sequentially(cls, scenario):
    """Run a one-thread scenario on a real thread; return what each step did."""
    calls = []
    raises_on = Scenario.build("s", **scenario).action_raises_on

    def action():
        calls.append(len(calls) + 1)
        if len(calls) in raises_on:
            raise ActionFailed

    timeout = scenario["timeout"]
    barrier = cls(
        scenario["parties"],
        action=None if scenario["action"] == "none" else action,
        timeout=None if timeout is None else timeout * TIME_SCALE,
    )
    seen = []

    def body():
        for step in Scenario.build("s", **scenario).programs[0]:
            try:
                if step.op == "wait":
                    t = None if step.timeout is None else step.timeout * TIME_SCALE
                    seen.append(("wait", barrier.wait(t)))
                elif step.op in ("reset", "abort"):
                    seen.append((step.op, getattr(barrier, step.op)()))
                else:
                    seen.append((step.op, getattr(barrier, step.op)))
            except Exception as error:
                seen.append((step.op, type(error).__name__))

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join(HANG)
    if thread.is_alive():  # blocked for good (e.g. waiting for a partner): say so, unblock
        seen.append(("hung", None))
        barrier.abort()
        thread.join(HANG)
        assert not thread.is_alive(), "abort() did not free a single-thread scenario"
    return seen, len(calls)


#: One-thread scenarios that block or spin forever on a real thread: that is their bug.
HANGS = {"timeout_ignored", "default_timeout_ignored", "livelock_broken_spin"}
SINGLE_THREAD = [t for t in BUGS if len(t.scenario["threads"]) == 1 and t.name not in HANGS]


def test_enough_bugs_show_on_a_single_thread():
    assert {t.name for t in BUGS} >= HANGS
    assert len(SINGLE_THREAD) >= 6


@pytest.mark.parametrize("info", SINGLE_THREAD, ids=lambda t: t.name)
def test_single_thread_bug_differs_from_threading(info):
    expected = _run_sequentially(threading.Barrier, info.scenario)
    assert _run_sequentially(_load(info.spec), info.scenario) != expected
