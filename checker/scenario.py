"""Scenarios: what the threads of one check do to one barrier.

A scenario is plain data: the barrier's ``parties``, its default ``timeout``, how its action
behaves, and one program per thread. A program is a string of steps separated by spaces::

    wait            wait() with no timeout (the constructor's default applies)
    wait(0.5)       wait(timeout=0.5)
    reset  abort    call reset() / abort()
    n_waiting  broken  parties   read that attribute

``parties`` below 1 is allowed only in a *construction scenario* (:attr:`Scenario.invalid_parties`),
one whose name starts with ``construct-`` (the catalogue's ``construct-zero``).

The action is ``"none"`` (no action), ``"ok"`` (an action that returns) or ``"raise@K,..."``
(an action that raises ``ActionFailed`` on its K-th call, counting from 1).

>>> s = Scenario.build("two", parties=2, threads=["wait", "wait(1.5) n_waiting"])
>>> s.programs[1]
(Step(op='wait', timeout=1.5), Step(op='n_waiting', timeout=None))
>>> Scenario.from_json(s.to_json()) == s
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import OPS

__all__ = ["ActionFailed", "Scenario", "Step", "parse_program"]

#: The name prefix of construction scenarios, the only ones whose ``parties`` may be below 1.
CONSTRUCTION_PREFIX = "construct-"

_STEP = re.compile(r"^(?P<op>[a-z_]+)(?:\((?P<arg>[^()]*)\))?$")


class ActionFailed(Exception):
    """What a scenario's action raises on the calls its ``raise@K`` names."""


@dataclass(frozen=True, slots=True)
class Step:
    """One operation of a thread program."""

    op: str
    timeout: float | None = None

    def __str__(self) -> str:
        if self.op == "wait" and self.timeout is not None:
            return f"wait({self.timeout:g})"
        return self.op


def parse_program(text: str) -> tuple[Step, ...]:
    """Parse a program string such as ``"wait(0.5) reset n_waiting"`` into steps."""
    steps = []
    for word in text.split():
        m = _STEP.match(word)
        if not m or m["op"] not in OPS:
            raise InvalidArgument(
                f"unknown step {word!r} in program {text!r}; steps are: "
                "wait, wait(SECONDS), reset, abort, n_waiting, broken, parties"
            )
        timeout = None
        if m["arg"] is not None:
            if m["op"] != "wait":
                raise InvalidArgument(f"only wait takes an argument, got {word!r}")
            try:
                timeout = float(m["arg"])
            except ValueError:
                raise InvalidArgument(f"bad timeout in {word!r}: not a number") from None
            if not math.isfinite(timeout) or timeout < 0:
                raise InvalidArgument(f"bad timeout in {word!r}: must be finite and >= 0")
        steps.append(Step(m["op"], timeout))
    return tuple(steps)


def _parse_action(action: str) -> tuple[bool, frozenset[int]]:
    if action == "none":
        return False, frozenset()
    if action == "ok":
        return True, frozenset()
    m = re.fullmatch(r"raise@(\d+(?:,\d+)*)", action)
    if not m or any(int(k) < 1 for k in m[1].split(",")):
        raise InvalidArgument(
            f"bad action {action!r}: use 'none', 'ok' or 'raise@K[,K...]' with K >= 1"
        )
    return True, frozenset(int(k) for k in m[1].split(","))


@dataclass(frozen=True)
class Scenario:
    """A barrier, how its action behaves, and one program per thread."""

    name: str
    parties: int
    programs: tuple[tuple[Step, ...], ...]
    default_timeout: float | None = None
    action: str = "none"
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.parties, int):
            raise InvalidArgument(f"scenario {self.name!r}: parties must be an int")
        if self.parties < 1 and not self.name.startswith(CONSTRUCTION_PREFIX):
            raise InvalidArgument(f"scenario {self.name!r}: parties must be >= 1")
        if not self.programs:
            raise InvalidArgument(f"scenario {self.name!r}: needs at least one thread")
        if self.default_timeout is not None and not (
            math.isfinite(self.default_timeout) and self.default_timeout >= 0
        ):
            raise InvalidArgument(f"scenario {self.name!r}: timeout must be finite and >= 0")
        _parse_action(self.action)

    @classmethod
    def build(
        cls,
        name: str,
        *,
        parties: int,
        threads: list[str] | tuple[str, ...],
        timeout: float | None = None,
        action: str = "none",
        description: str = "",
    ) -> Scenario:
        """Make a scenario from program strings (see the module docstring)."""
        programs = tuple(parse_program(t) for t in threads)
        return cls(name, parties, programs, timeout, action, description)

    @property
    def invalid_parties(self) -> bool:
        """A construction scenario: ``parties < 1``, which the barrier should refuse.

        Such a scenario is judged by rule ``C-PARTIES`` alone (not by the spec, which needs
        ``parties >= 1``); its threads run only if the barrier was built, to show what follows.
        """
        return self.parties < 1

    @property
    def has_action(self) -> bool:
        return _parse_action(self.action)[0]

    @property
    def action_raises_on(self) -> frozenset[int]:
        """The action calls (1-based) on which it raises."""
        return _parse_action(self.action)[1]

    @property
    def n_threads(self) -> int:
        return len(self.programs)

    def model_programs(self) -> tuple[tuple[tuple[str, float | None], ...], ...]:
        """The programs as the model takes them: ``((op, timeout), ...)`` per thread."""
        return tuple(tuple((s.op, s.timeout) for s in p) for p in self.programs)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "parties": self.parties,
            "threads": [" ".join(map(str, p)) for p in self.programs],
            "timeout": self.default_timeout,
            "action": self.action,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scenario:
        try:
            return cls.build(
                data["name"],
                parties=data["parties"],
                threads=data["threads"],
                timeout=data.get("timeout"),
                action=data.get("action", "none"),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise InvalidArgument(f"not a scenario: {data!r} ({error})") from None

    def to_args(self) -> str:
        """The scenario as ``barrierlab check`` options, to rerun it by hand.

        >>> Scenario.build("z", parties=2, threads=["wait(0)", "wait reset"]).to_args()
        '--parties 2 --threads "wait(0)" "wait reset"'
        """
        if self.invalid_parties:  # built-in only: custom scenarios need parties >= 1
            return f"--scenario {self.name}"
        words = [f"--parties {self.parties}", "--threads"]
        words += [f'"{" ".join(map(str, p))}"' for p in self.programs]
        if self.default_timeout is not None:
            words.append(f"--timeout {self.default_timeout:g}")
        if self.action != "none":
            words.append(f"--action {self.action}")
        return " ".join(words)

    def __str__(self) -> str:
        head = f"{self.name}: parties={self.parties}"
        if self.default_timeout is not None:
            head += f" timeout={self.default_timeout:g}"
        if self.action != "none":
            head += f" action={self.action}"
        return head + "".join(
            f"\n  t{i}: {' '.join(map(str, p)) or '(nothing)'}" for i, p in enumerate(self.programs)
        )
