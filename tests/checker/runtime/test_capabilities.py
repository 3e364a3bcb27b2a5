"""API detection: what a target offers decides the scenarios run and the rules judged."""

from __future__ import annotations

import threading

import pytest

from barrierlab.checker import api
from barrierlab.checker.runtime.capabilities import FULL, detect
from barrierlab.checker.runtime.target import load_target
from barrierlab.model.errors import InvalidArgument, TargetError


def test_threading_barrier_offers_everything():
    assert detect(threading.Barrier) == FULL
    assert FULL.not_applicable("cpython") == {}


def test_wait_only_countdown():
    caps = load_target("barrierlab.impl.shapes.countdown:Barrier").capabilities
    assert (caps.action, caps.timeout, caps.wait_timeout, caps.returns_index) == (
        False,
        False,
        False,
        False,
    )
    assert caps.methods == frozenset() and caps.attributes == frozenset()
    na = caps.not_applicable("cpython")
    assert na["C-INDEX-ORDER"] == "wait() returns None, not an index"
    assert "R-RELEASE" not in na and "R-ERROR-TYPE" not in na


def test_factory_taking_only_parties_checks_the_rest():
    caps = load_target("barrierlab.impl.shapes.factory:make_barrier").capabilities
    assert not caps.action and not caps.timeout
    assert caps.methods == {"reset", "abort"} and caps.returns_index


def test_own_error_class_found_on_the_module():
    caps = load_target("barrierlab.impl.shapes.own_error:Barrier").capabilities
    assert caps.error.__name__ == "BrokenBarrierError" and caps.error is not (
        threading.BrokenBarrierError
    )


def test_bad_broken_error_override():
    with pytest.raises(TargetError, match="not an exception class"):
        load_target("threading:Barrier", broken_error="threading:Lock")
    with pytest.raises(TargetError, match="module:Name"):
        load_target("threading:Barrier", broken_error="BrokenBarrierError")


def test_no_scenario_the_target_can_take():
    with pytest.raises(InvalidArgument, match="reset-after-abort needs"):
        api.check("barrierlab.impl.shapes.countdown:Barrier", scenarios=["reset-after-abort"])


def test_unknown_rule_to_ignore():
    with pytest.raises(InvalidArgument, match="unknown rule"):
        api.check("threading:Barrier", scenarios=["single-party"], ignore_rules=["R-NOPE"])


def test_not_a_barrier():
    with pytest.raises(TargetError, match="no wait"):
        load_target("fractions:Fraction")
