"""The asyncio catalogue: every seeded asyncio bug module is listed, constructs, marks its bug,
and its docstring names the rule and scenario the catalogue does."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest

from barrierlab.impl import aio_bugs
from barrierlab.impl.asyncio_targets import ASYNC_BUGS, ASYNC_CORRECT
from barrierlab.impl.targets import VERDICT_KINDS
from barrierlab.model.rules import rules_for

MODULES = sorted(m.name for m in pkgutil.iter_modules(aio_bugs.__path__))
BY_MODULE = {t.spec.split(":")[0].rsplit(".", 1)[1]: t for t in ASYNC_BUGS}


def test_every_module_is_catalogued():
    assert sorted(BY_MODULE) == MODULES
    assert len(ASYNC_BUGS) >= 7


@pytest.mark.parametrize("name", MODULES)
def test_bug_module_constructs_as_an_asyncio_barrier(name):
    cls = importlib.import_module(f"barrierlab.impl.aio_bugs.{name}").Barrier
    barrier = cls(2)
    assert (barrier.parties, barrier.n_waiting, barrier.broken) == (2, 0, False)


@pytest.mark.parametrize("name", MODULES)
def test_bug_docstring_names_the_catalogued_rule_and_scenario(name):
    info = BY_MODULE[name]
    module = importlib.import_module(f"barrierlab.impl.aio_bugs.{name}")
    doc = module.__doc__ or ""
    assert doc.startswith("Bug")
    source = module.__loader__.get_source(module.__name__)
    assert "BUG" in source, "the buggy line is marked with a # BUG comment"
    rule = re.search(r"^Rule: (\S+)(?: \(also: ([^)]*)\))?$", doc, re.M)
    assert rule
    also = tuple(a.strip() for a in rule[2].split(",")) if rule[2] else ()
    assert (rule[1], also) == (info.expected, info.also)
    assert {info.expected, *info.also} <= rules_for("asyncio") | set(VERDICT_KINDS)
    scenario = re.search(r"^Scenario: parties=(\d+), threads=(\[.*?\])$", doc, re.M)
    assert scenario
    assert {"parties": int(scenario[1]), "threads": json.loads(scenario[2])}.items() <= (
        info.scenario.items()
    )


def test_correct_targets_load():
    for info in ASYNC_CORRECT:
        module, _, name = info.spec.partition(":")
        assert callable(getattr(importlib.import_module(module), name))
