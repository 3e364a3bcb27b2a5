"""The options of one check, in one place: what :func:`~barrierlab.checker.explore.check.check`
and :func:`~barrierlab.checker.explore.parallel.check_parallel` take as keywords, validated
once, and what the command line's ``check`` and ``report`` offer as flags.

>>> CheckOptions(scenarios=["single-party"], budget=5.0).config().budget
5.0
>>> CheckOptions(profile="posix")
Traceback (most recent call last):
...
barrierlab.model.errors.InvalidArgument: unknown profile 'posix'; choose one of documented, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from barrierlab.checker.config import Config
from barrierlab.checker.explore.scenario_catalogue import select
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers import SCHEDULERS
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import ASYNC_PROFILES, RULES
from barrierlab.model.versions import PROFILE_NAMES

__all__ = ["PROFILES", "SCHEDULER_NAMES", "CheckOptions"]

#: Every profile name: ``documented``, ``cpython`` (the running CPython) and ``cpython-3.X``.
PROFILES = PROFILE_NAMES
#: The schedulers a check can use by name (``replay`` takes a token: ``barrierlab replay``).
SCHEDULER_NAMES = ("portfolio", *(n for n in SCHEDULERS if n != "replay"))


@dataclass(frozen=True)
class CheckOptions:
    """What to check and how hard; None means "the :class:`Config` default or environment".

    ``budget``, ``max_schedules``, ``seed`` and ``line_level`` are overrides of
    :class:`~barrierlab.checker.config.Config` (see :meth:`config`). ``scenarios``: names from
    the built-in catalogue, or :class:`Scenario` objects; None or empty: the whole catalogue.
    ``fail_fast``: stop at the first violation (otherwise each scenario stops at its own first).
    ``ignore_rules``: rule IDs whose violations are looked past (known deviations);
    ``broken_error``: the target's error class for a broken barrier (``module:Name``) when
    detection (:mod:`~barrierlab.checker.runtime.capabilities`) does not find it.

    Synthesis (:mod:`~barrierlab.checker.explore.generated`): ``synthesis`` True/False turns it
    on or off (None: on when no scenarios are given, and, when ``max_schedules`` is set, only
    if ``generated`` is given); ``bounds`` bounds the generated space; ``generated`` is how
    many generated scenarios to run at most (with ``max_schedules``: exactly the first that
    many, default :func:`~barrierlab.checker.explore.generated.matched_count`).
    """

    profile: str = "documented"
    scheduler: str = "portfolio"
    budget: float | None = None
    max_schedules: int | None = None
    seed: int | None = None
    scenarios: Sequence[str] | Sequence[Scenario] | None = None
    line_level: bool | None = None
    fail_fast: bool = False
    ignore_rules: Sequence[str] = ()
    broken_error: str | None = None
    synthesis: bool | None = None
    bounds: Bounds | None = None
    generated: int | None = None

    def __post_init__(self) -> None:
        if self.generated is not None and (
            isinstance(self.generated, bool)
            or not isinstance(self.generated, int)
            or self.generated < 1
        ):
            raise InvalidArgument(f"--generated must be >= 1, got {self.generated!r}")
        if self.profile not in PROFILES and self.profile not in ASYNC_PROFILES:
            raise InvalidArgument(
                f"unknown profile {self.profile!r}; choose one of {', '.join(PROFILES)}"
            )
        if self.scheduler == "replay":
            raise InvalidArgument(
                "the replay scheduler takes a token: use 'barrierlab replay TOKEN'"
            )
        if self.scheduler not in SCHEDULER_NAMES:
            raise InvalidArgument(
                f"unknown scheduler {self.scheduler!r}; the schedulers are: "
                f"{', '.join(sorted(SCHEDULER_NAMES))}"
            )
        if self.scenarios is not None:
            object.__setattr__(self, "scenarios", tuple(self.scenarios))
        self.chosen_scenarios()  # an unknown scenario name raises here, before anything runs
        object.__setattr__(self, "ignore_rules", tuple(self.ignore_rules or ()))
        unknown = [r for r in self.ignore_rules if r not in RULES]
        if unknown:
            raise InvalidArgument(
                f"unknown rule {unknown[0]!r} to ignore; the rules are: {', '.join(RULES)}"
            )

    @classmethod
    def of(cls, options: CheckOptions | None = None, **fields_: Any) -> CheckOptions:
        """``options`` (default: all defaults) with the keyword ``fields_`` replaced."""
        base = options if options is not None else cls()
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(fields_) - names)
        if unknown:
            raise InvalidArgument(
                f"a check takes no option {', '.join(map(repr, unknown))}; "
                f"the options are: {', '.join(f.name for f in fields(cls))}"
            )
        return replace(base, **fields_) if fields_ else base

    def config(self) -> Config:
        """The defaults, then ``BARRIERLAB_*`` variables, then the overrides given here."""
        return Config.from_env(
            budget=self.budget,
            max_schedules=self.max_schedules,
            seed=self.seed,
            line_level=self.line_level,
        )

    def synthesizing(self, config: Config) -> bool:
        """Whether a check with these options (and ``config``) goes on into generated
        scenarios (see the class docstring)."""
        if self.synthesis is not None:
            return self.synthesis
        return not self.scenarios and (config.max_schedules is None or self.generated is not None)

    def chosen_scenarios(self) -> list[Scenario]:
        """The scenarios to explore, in order."""
        scenarios = self.scenarios
        if scenarios and all(isinstance(s, Scenario) for s in scenarios):
            return [s for s in scenarios if isinstance(s, Scenario)]
        return select(cast("tuple[str, ...] | None", scenarios), self.profile)
