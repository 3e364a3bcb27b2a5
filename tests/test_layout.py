"""The layout: which folder (room) may import which, read from the source with ``ast``.

* ``model/`` imports nothing of barrierlab but ``model``: the spec stands alone.
* ``impl/`` imports nothing of barrierlab but ``impl``: the barriers are plain ``threading``.
* ``checker/`` may import both, and its rooms form an order: a room imports only rooms below
  it (``ROOMS``, lowest first; rooms of one rank do not import each other). README's Layout
  section draws the same order.

Every import counts, also one inside a function or under ``if TYPE_CHECKING``. Imports by
string (``importlib.import_module``, ``python -m``) are not seen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The three code folders and the import packages they install as.
FOLDERS = {"model": "barrierlab.model", "impl": "barrierlab.impl", "checker": "barrierlab.checker"}
#: The rooms of checker/ (a subpackage, or a loose module at its root) by rank, lowest first.
ROOMS = {
    "config": 0,  # the one Config: bounds and BARRIERLAB_* overrides
    "scenario": 0,  # what threads run: Scenario and its notation
    "outcomes": 0,  # the enums runs and checks produce
    "schedulers": 1,  # who runs next: the Scheduler protocol and its implementations
    "runtime": 2,  # running a target's real code on controlled threads, one run at a time
    "explore": 3,  # many runs: search, verdicts, tokens, replay, parallel checks
    "api": 4,  # the facade: check(), replay()
    "record": 4,  # recording a barrier on real threads, for accept
    "strategies": 4,  # Hypothesis strategies: scenarios and schedules for users' own tests
    "report": 5,  # reports: content, Markdown, HTML, JUnit, JSON
    "cli": 6,  # the command line (cli.output is the one module that prints)
    "testing": 6,  # the pytest plugin and assert_conforms
    "bench": 7,  # benchmarks; they print through cli.output
}
#: At most this many loose modules (besides ``__init__``) at checker/'s root.
MAX_LOOSE = 8


def module_files() -> dict[str, Path]:
    """Every module of the three folders by its dotted name (a package by its own name)."""
    found = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, source: str, known: set[str], *, package: bool = False) -> set[str]:
    """The barrierlab modules module ``name`` imports, anywhere in ``source``.

    ``from pkg import x`` counts as importing ``pkg.x`` when that is a module in ``known``;
    relative imports are resolved (``package``: ``name`` is a package's ``__init__``).
    """
    found = set()
    here = name.split(".") if package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in known else module)
    return {m for m in found if m.split(".")[0] == "barrierlab" and m != name}


def room(module: str) -> str:
    """``model``, ``impl``, or ``checker.<room>`` (``checker`` for the package itself)."""
    parts = module.split(".")
    if parts[1] != "checker" or len(parts) == 2:
        return parts[1]
    return f"checker.{parts[2]}"


def violations(imports: dict[str, set[str]]) -> list[str]:
    """Each import in ``imports`` (module -> modules it imports) that breaks the layout."""
    bad = []
    for module, targets in sorted(imports.items()):
        mine = room(module)
        if mine.startswith("checker.") and mine[8:] not in ROOMS:
            bad.append(f"{module}: room {mine!r} has no place in ROOMS (give it a rank)")
        for target in sorted(targets):
            theirs = room(target)
            if theirs == mine:
                continue
            if mine in ("model", "impl"):
                bad.append(f"{module} imports {target}: {mine}/ imports only {mine}/")
            elif mine == "checker" and theirs.startswith("checker."):
                bad.append(f"{module} imports {target}: checker/__init__ imports no room")
            elif mine.startswith("checker.") and theirs.startswith("checker."):
                low, high = ROOMS.get(theirs[8:]), ROOMS.get(mine[8:])
                if low is not None and high is not None and low >= high:
                    bad.append(
                        f"{module} imports {target}: {mine} (rank {high}) may import "
                        f"only rooms ranked below it, not {theirs} (rank {low})"
                    )
    return bad


def real_imports() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {
        name: imports_of(
            name, path.read_text(encoding="utf-8"), known, package=path.name == "__init__.py"
        )
        for name, path in files.items()
    }


def test_no_import_goes_the_wrong_way():
    imports = real_imports()
    assert "barrierlab.checker.schedulers.base" in imports["barrierlab.checker.runtime.launch"]
    assert violations(imports) == []


def test_checker_has_few_loose_modules():
    loose = sorted(p.stem for p in (ROOT / "checker").glob("*.py") if p.stem != "__init__")
    assert len(loose) <= MAX_LOOSE, loose


def test_every_package_on_disk_is_installed():
    """pyproject's package list names every folder with an ``__init__.py``: one left out is
    missing from a non-editable install (``pip install .``), which the editable test setup
    would never notice."""
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        FOLDERS[init.relative_to(ROOT).parts[0]]
        + "".join("." + part for part in init.parent.relative_to(ROOT).parts[1:])
        for folder in FOLDERS
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == on_disk


def test_the_rooms_are_those_on_disk():
    on_disk = {room(m)[8:] for m in module_files() if room(m).startswith("checker.")}
    assert on_disk == set(ROOMS), "ROOMS (and README's Layout) should list exactly these"


@pytest.mark.parametrize(
    ("module", "target"),
    [
        ("barrierlab.model.spec", "barrierlab.checker.config"),
        ("barrierlab.model.spec", "barrierlab.impl.reference"),
        ("barrierlab.impl.reference", "barrierlab.model.events"),
        ("barrierlab.impl.leader", "barrierlab.checker.runtime.primitives"),
        ("barrierlab.checker.schedulers.dfs", "barrierlab.checker.runtime.run"),
        ("barrierlab.checker.runtime.run", "barrierlab.checker.explore.check"),
        ("barrierlab.checker.explore.check", "barrierlab.checker.api"),
        ("barrierlab.checker.api", "barrierlab.checker.report.content"),
        ("barrierlab.checker.report.content", "barrierlab.checker.cli.output"),
        ("barrierlab.checker.config", "barrierlab.checker.scenario"),
        ("barrierlab.checker.cli.main", "barrierlab.checker.bench.speed"),
        ("barrierlab.checker", "barrierlab.checker.api"),
        ("barrierlab.checker.newroom.x", "barrierlab.model.events"),
    ],
)
def test_a_wrong_way_import_is_flagged(module, target):
    assert len(violations({module: {target}})) == 1


def test_a_right_way_import_is_not_flagged():
    imports = {
        "barrierlab.checker.cli.main": {
            "barrierlab.checker.report.write",
            "barrierlab.model.rules",
        },
        "barrierlab.checker.runtime.launch": {"barrierlab.checker.schedulers.base"},
        "barrierlab.impl.generations": {"barrierlab.impl.published"},
    }
    assert violations(imports) == []


def test_imports_inside_functions_and_relative_ones_are_read():
    source = (
        "import os\n"
        "from barrierlab.checker import api\n"
        "def late():\n"
        "    from barrierlab.checker.report.write import atomic_write\n"
        "    from ..explore import token\n"
        "    from . import base\n"
    )
    known = {
        "barrierlab.checker.api",
        "barrierlab.checker.explore.token",
        "barrierlab.checker.schedulers.base",
    }
    found = imports_of("barrierlab.checker.schedulers.dfs", source, known | {"x"})
    assert found == {
        "barrierlab.checker.api",
        "barrierlab.checker.report.write",
        "barrierlab.checker.explore.token",
        "barrierlab.checker.schedulers.base",
    }
    assert violations({"barrierlab.checker.schedulers.dfs": found}) != []
