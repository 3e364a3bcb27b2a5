"""The pytest plugin: barrierlab checks as test items, and barrier factories as a parameter.

Registered through the ``pytest11`` entry point, so it is active wherever barrierlab is
installed. It changes nothing in a run that does not ask for it: it imports none of the
checker until ``--barrierlab`` is given or the ``barrier_factory`` argument is used.

``pytest --barrierlab mypkg.sync:Barrier`` (repeatable) runs ``barrierlab check`` on each
target, once, and shows the result as test items:

* one item per scenario, ``barrierlab[mypkg.sync:Barrier][two-generations]``: it fails with
  the counterexample (rule, threads as columns, spec states) and the ``barrierlab replay``
  command;
* one item per rule of the profile, ``barrierlab[mypkg.sync:Barrier][rule R-INDEX]``: it
  fails when a violation names the rule, passes when accepted schedules exercised it, and is
  skipped, with the reason, when the target cannot be judged on it (it has no ``reset()``, its
  ``wait()`` returns no index...) or no schedule reached it.

``--barrierlab-profile``, ``--barrierlab-budget`` (seconds per target), ``--barrierlab-scenario``
(repeatable), ``--barrierlab-max-schedules`` and ``--barrierlab-seed`` set the check. The
items are ordinary pytest items, so ``--junitxml`` carries them (a failure's replay command
is also a ``replay`` property of its test case), and ``-k`` selects among them.

A test that takes a ``barrier_factory`` argument is run once per barrier: the targets of its
``@pytest.mark.barrierlab_factories("pkg:Name", SomeClass, ...)`` marker, else those given with
``--barrierlab``, else ``threading:Barrier``.
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["BarrierlabItem"]

_RESULTS = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("barrierlab", "barrier conformance checks (barrierlab)")
    group.addoption(
        "--barrierlab",
        action="append",
        default=[],
        metavar="TARGET",
        help="check this barrier ('pkg.mod:Name' or 'path/file.py:Name'; repeatable): one "
        "test item per scenario and per rule",
    )
    group.addoption(
        "--barrierlab-profile",
        default="documented",
        # No choices= here: the names come from barrierlab.model.versions, which the plugin
        # imports only once asked (an import now would pre-empt pytest's assertion rewriting).
        help="documented: what the threading docs allow (default); cpython: the running "
        "CPython's exact behaviour; cpython-3.X: CPython 3.X's",
    )
    group.addoption(
        "--barrierlab-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time for each target's whole check (default: barrierlab's, 45 s)",
    )
    group.addoption(
        "--barrierlab-scenario",
        action="append",
        default=None,
        metavar="NAME",
        help="check only this built-in scenario (repeatable; default: all)",
    )
    group.addoption(
        "--barrierlab-max-schedules",
        type=int,
        default=None,
        metavar="N",
        help="schedules per scenario at most (with it, results do not depend on the machine)",
    )
    group.addoption(
        "--barrierlab-seed", type=int, default=None, metavar="N", help="seed (default 0)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "barrierlab_factories(*targets): run the test once per barrier, passed as its "
        "barrier_factory argument (targets: 'pkg.mod:Name' strings or class/factory objects)",
    )
    config.stash[_RESULTS] = {}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "barrier_factory" not in metafunc.fixturenames:
        return
    from barrierlab.checker.runtime.target import target_of
    from barrierlab.model.errors import BarrierlabError

    marker = metafunc.definition.get_closest_marker("barrierlab_factories")
    given = marker.args if marker else tuple(metafunc.config.getoption("barrierlab"))
    wanted = given or ("threading:Barrier",)
    try:
        targets = [target_of(t) for t in wanted]
    except BarrierlabError as error:
        raise pytest.UsageError(f"barrierlab: {error}") from None
    metafunc.parametrize(
        "barrier_factory", [t.factory for t in targets], ids=[t.spec for t in targets]
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    specs = config.getoption("barrierlab")
    if not specs:
        return
    from barrierlab.checker.explore.scenario_catalogue import select
    from barrierlab.checker.runtime.target import load_target
    from barrierlab.model.errors import BarrierlabError
    from barrierlab.model.rules import rules_for

    profile = config.getoption("barrierlab_profile")
    try:
        rules = rules_for(profile)  # an unknown profile is a usage error too
        scenarios = select(config.getoption("barrierlab_scenario"), profile)
        for spec in specs:
            load_target(spec)  # a bad target is a usage error, before any test runs
    except BarrierlabError as error:
        raise pytest.UsageError(f"barrierlab: {error}") from None
    for spec in dict.fromkeys(specs):
        for scenario in scenarios:
            items.append(BarrierlabItem.create(session, spec, scenario=scenario.name))
        for rule in sorted(rules):
            items.append(BarrierlabItem.create(session, spec, rule=rule))


class BarrierlabFailure(Exception):
    """A scenario or rule item found a violation; the message is its counterexample."""


class BarrierlabItem(pytest.Item):
    """One scenario or one rule of one target's check (the check runs once per target)."""

    spec: str
    scenario: str | None
    rule: str | None

    @classmethod
    def create(
        cls,
        parent: pytest.Session,
        spec: str,
        *,
        scenario: str | None = None,
        rule: str | None = None,
    ) -> BarrierlabItem:
        what = scenario if scenario is not None else f"rule {rule}"
        name = f"barrierlab[{spec}][{what}]"
        item = cls.from_parent(parent, name=name, nodeid=f"barrierlab::{name}")
        item.spec, item.scenario, item.rule = spec, scenario, rule
        return item

    def _check(self) -> Any:
        """This target's check result, run on first use and shared by its items."""
        results = self.config.stash[_RESULTS]
        if self.spec not in results:
            from barrierlab.checker import api

            option = self.config.getoption
            results[self.spec] = api.check(
                self.spec,
                profile=option("barrierlab_profile"),
                budget=option("barrierlab_budget"),
                scenarios=option("barrierlab_scenario"),
                max_schedules=option("barrierlab_max_schedules"),
                seed=option("barrierlab_seed"),
            )
        return results[self.spec]

    def runtest(self) -> None:
        result = self._check()
        if self.scenario is not None:
            found = next(s for s in result.scenarios if s.scenario.name == self.scenario)
            self.user_properties.append(("schedules", found.schedules))
            self.user_properties.append(("exhaustive", found.exhaustive))
            if found.violation is not None:
                self._fail(found.violation)
            return
        reason = result.not_applicable.get(self.rule)
        if reason is not None:
            pytest.skip(f"{self.rule} not applicable: {reason}")
        named = [v for v in result.violations if v.rule == self.rule]
        if named:
            self._fail(named[0])
        if self.rule not in result.rules_exercised:
            pytest.skip(
                f"{self.rule} not exercised: no accepted schedule reached it "
                f"({'exhaustive' if result.exhaustive else 'sampled'} search)"
            )

    def _fail(self, violation: Any) -> None:
        from barrierlab.checker.testing import describe_violation

        self.user_properties.append(("replay", f"barrierlab replay {violation.token}"))
        raise BarrierlabFailure(describe_violation(violation))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, BarrierlabFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "barrierlab", None, self.name
