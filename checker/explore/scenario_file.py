"""Scenario files: several custom scenarios in one TOML or JSON file.

TOML (``.toml``), one ``[[scenario]]`` table each::

    [[scenario]]
    name = "zero-timeout"        # optional (default: scenario-1, scenario-2, ...)
    parties = 2
    threads = ["wait(0)"]        # one program per thread, as for --threads
    timeout = 0.5                # optional: the constructor's timeout (default none)
    action = "raise@2"           # optional: none (default), ok, raise@K[,K...]

JSON (any other name): ``{"scenarios": [{...}, ...]}`` or just the list, with the same keys.
Every problem (a missing file, bad syntax, an unknown key, a bad program) raises
:class:`~barrierlab.model.errors.InvalidArgument` naming the file and the scenario.

>>> import tempfile, os
>>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
...     _ = f.write('[[scenario]]\\nparties = 2\\nthreads = ["wait(0)", "wait"]\\n')
>>> [s.to_args() for s in load_scenarios(f.name)]
['--parties 2 --threads "wait(0)" "wait"']
>>> os.unlink(f.name)
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument

__all__ = ["KEYS", "load_scenarios", "scenario_from_dict"]

#: The keys a scenario of a file may have.
KEYS = ("name", "parties", "threads", "timeout", "action", "description")


def scenario_from_dict(data: Any, default_name: str, where: str = "") -> Scenario:
    """One scenario from a file's table (see the module docstring for the keys)."""
    if not isinstance(data, dict):
        raise InvalidArgument(f"{where}: a scenario must be a table/object, got {data!r}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvalidArgument(f"{where}: unknown key {unknown[0]!r}; keys are {', '.join(KEYS)}")
    for needed in ("parties", "threads"):
        if needed not in data:
            raise InvalidArgument(f"{where}: missing {needed!r}")
    parties, threads = data["parties"], data["threads"]
    if not isinstance(parties, int) or isinstance(parties, bool):
        raise InvalidArgument(f"{where}: parties must be an integer, got {parties!r}")
    if isinstance(threads, str) or not all(isinstance(t, str) for t in threads):
        raise InvalidArgument(f"{where}: threads must be a list of program strings")
    timeout = data.get("timeout")
    if timeout is not None and (not isinstance(timeout, int | float) or isinstance(timeout, bool)):
        raise InvalidArgument(f"{where}: timeout must be a number, got {timeout!r}")
    action = data.get("action", "none")
    if not isinstance(action, str):
        raise InvalidArgument(f"{where}: action must be a string, got {action!r}")
    try:
        return Scenario.build(
            str(data.get("name", default_name)),
            parties=parties,
            threads=list(threads),
            timeout=None if timeout is None else float(timeout),
            action=action,
            description=str(data.get("description", "")),
        )
    except InvalidArgument as error:
        raise InvalidArgument(f"{where}: {error}") from None


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Every scenario of the TOML or JSON file at ``path``, in file order."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidArgument(f"cannot read scenario file {str(path)!r}: {error}") from None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text).get("scenario")
            if data is None:
                raise InvalidArgument(f"{path}: no [[scenario]] table")
        else:
            data = json.loads(text)
            if isinstance(data, dict):
                if "scenarios" not in data:
                    raise InvalidArgument(f"{path}: expected a 'scenarios' list")
                data = data["scenarios"]
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise InvalidArgument(f"{path}: not valid {path.suffix[1:] or 'JSON'}: {error}") from None
    if not isinstance(data, list) or not data:
        raise InvalidArgument(f"{path}: expected a non-empty list of scenarios")
    found = [
        scenario_from_dict(d, f"scenario-{n}", f"{path}, scenario {n}")
        for n, d in enumerate(data, start=1)
    ]
    names = [s.name for s in found]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidArgument(f"{path}: scenario name {repeated[0]!r} is used twice")
    return found
