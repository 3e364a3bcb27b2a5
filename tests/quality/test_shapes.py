"""The quality tier, part 3: barriers of other shapes are checked for what they offer.

Every bundled shape (:data:`barrierlab.impl.targets.SHAPES`): a correct one passes a default
check with no alarm; a buggy one is found, under the rule its docstring names. Detection is
checked too: what each offers decides which scenarios run and which rules are not applicable.
"""

from __future__ import annotations

import pytest

from barrierlab.checker import api
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import REFUSED, SHAPES
from barrierlab.model.errors import TargetError

pytestmark = pytest.mark.quality

CORRECT = [s for s in SHAPES if s.kind == "correct"]
BUGGY = [s for s in SHAPES if s.kind == "bug"]


@pytest.mark.parametrize("info", CORRECT, ids=lambda i: i.name)
def test_correct_shape_raises_no_alarm(info):
    result = api.check(info.spec, budget=6)
    assert result.verdict == "pass", [(v.rule, v.kind, v.message) for v in result.violations]
    judged, total = result.rules_judged()
    assert 0 < judged <= total


@pytest.mark.parametrize("info", BUGGY, ids=lambda i: i.name)
def test_buggy_shape_is_found_under_its_rule(info):
    # one that ends the process for real is checked in a supervised worker (else pytest dies)
    supervised = info.ends_process
    result = api.check(info.spec, budget=10, fail_fast=True, supervised=supervised)
    if result.verdict == "pass" and info.scenario is not None:  # its own smallest scenario
        scenario = Scenario.build(info.name, **info.scenario)
        result = api.check(
            info.spec, scenarios=[scenario], budget=10, fail_fast=True, supervised=supervised
        )
    assert result.verdict == "fail"
    found = {result.violations[0].rule, result.violations[0].kind}
    assert found & {info.expected, *info.also}, result.violations[0].message


def test_own_error_class_is_detected():
    caps = load_target("barrierlab.impl.shapes.own_error:Barrier").capabilities
    assert caps.error.__module__ == "barrierlab.impl.shapes.own_error"
    assert caps.error_is_runtime_error


def test_error_class_not_a_runtime_error_is_named_in_the_message():
    result = api.check(
        "barrierlab.impl.shapes.own_error_not_runtime:Barrier", scenarios=["timeout"], budget=5
    )
    assert result.violations[0].rule == "R-ERROR-TYPE"
    assert "not a subclass of RuntimeError" in result.violations[0].message


def test_broken_error_override():
    spec = "barrierlab.impl.shapes.own_error:Barrier"
    caps = load_target(spec, broken_error="threading:BrokenBarrierError").capabilities
    assert caps.error_name == "threading.BrokenBarrierError"


def test_wait_only_barrier_is_judged_on_release_and_reuse():
    result = api.check("barrierlab.impl.shapes.countdown:Barrier", budget=4)
    caps = result.capabilities
    assert not caps.returns_index and not caps.methods and not caps.action
    na = result.not_applicable
    assert na["R-INDEX"] == "wait() returns None, not an index"
    assert na["R-RESET"] == "the target has no reset()"
    assert "R-RELEASE" not in na and "R-REUSE" not in na
    ran = {s.scenario.name for s in result.scenarios}
    assert "two-generations" in ran and "reset-one-waiter" in result.skipped
    assert result.to_json()["rules_judged"]["judged"] == result.rules_judged()[0]


def test_ignore_rule_looks_past_a_known_deviation():
    spec = "barrierlab.impl.shapes.own_error_not_runtime:Barrier"
    result = api.check(spec, scenarios=["timeout"], budget=3, ignore_rules=["R-ERROR-TYPE"])
    assert result.verdict == "pass"
    assert result.scenarios[0].ignored["R-ERROR-TYPE"] > 0


@pytest.mark.parametrize("info", REFUSED, ids=lambda i: i.name)
def test_uncontrolled_primitive_is_refused_with_a_clear_message(info):
    with pytest.raises(TargetError) as error:
        load_target(info.spec)
    message = str(error.value)
    assert "SemLock" in message and "barrierlab cannot schedule" in message
    assert "It controls threading's Lock" in message


def test_a_target_that_ends_the_process_is_a_verdict_and_the_check_goes_on():
    result = api.check("barrierlab.impl.shapes.exits:Barrier", budget=4)
    exits = [v for v in result.violations if v.kind == "exit"]
    assert exits and "the target ended the process (exit 7) in scenario" in exits[0].message
    assert len(result.scenarios) > 10  # every scenario was explored
    replayed = api.replay(exits[0].token)
    assert replayed.status == "reproduced" and replayed.judgement.kind == "exit"
