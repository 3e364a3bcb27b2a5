"""nox sessions: barrierlab's tests on every Python it supports that this machine has.

    nox                       # every session; interpreters not found are skipped
    nox -s tests-3.13         # the fast and quality tiers on 3.13 (what CI runs on its default)
    nox -s smoke              # the version-sensitive subset on every interpreter found
    nox -s tests-3.12 -- -x   # arguments after -- go to pytest

Interpreters are found on PATH as ``python3.X`` (``python3.13t`` for a free-threaded build);
pyenv's versions (``$PYENV_ROOT/versions/*/bin``, ``~/.pyenv`` by default) are appended to
PATH here, so a pyenv install is found without activating it. A session whose interpreter is
missing is skipped, never an error (also under ``CI=true``, where nox's default is to fail).
"""

from __future__ import annotations

import glob
import os
import re
import tomllib

import nox

#: What barrierlab supports and tests (pyproject's classifiers say the same).
PYTHONS = ["3.11", "3.12", "3.13", "3.14", "3.13t", "3.14t"]

#: The version-sensitive subset: the runtime's patching and tracing, CPython's own suite on the
#: reference, the baseline, the construction rule and the versioned profiles (against every
#: CPython found, too). The session also checks threading.Barrier end to end. It needs
#: barrierlab and pytest only, so its environment gets nothing else (no dask, mypy, ruff).
SMOKE = [
    "tests/checker/runtime",
    "tests/impl/test_reference_cpython_suite.py",
    "tests/impl/test_targets.py",
    "tests/checker/bench/test_baseline.py",
    "tests/checker/explore/test_construction.py",
    "tests/model/test_versions.py",
    "checker/runtime/versions.py",
    "model/versions.py",
]

nox.options.error_on_missing_interpreters = False
nox.options.sessions = ["tests"]


def _add_pyenv_to_path() -> None:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(glob.glob(os.path.join(root, "versions", "*", "bin")), reverse=True)
    path = os.environ.get("PATH", "").split(os.pathsep)
    # Appended: the machine's own python3.X stays first where it has one.
    os.environ["PATH"] = os.pathsep.join(path + [d for d in found if d not in path])


_add_pyenv_to_path()


def _test_requirement(name: str) -> str:
    """The requirement of pyproject's ``test`` extra for package ``name`` (one place for its
    version bound)."""
    with open("pyproject.toml", "rb") as f:
        extra = tomllib.load(f)["project"]["optional-dependencies"]["test"]
    return next(r for r in extra if re.match(rf"{re.escape(name)}(?![\w.-])", r))


def _install(session: nox.Session, *requirements: str) -> None:
    # nox --no-venv: the environment already has it. With --install-only this installs and
    # stops (.ci/run prepares the smoke environments so, while lint and types run); -R then
    # reuses them without installing again.
    if session.venv_backend != "none":
        session.install(*requirements)
    session.run(
        "python",
        "-c",
        "import sys, sysconfig; print(sys.version, '| free-threaded build:', "
        "bool(sysconfig.get_config_var('Py_GIL_DISABLED')))",
    )


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The fast and quality tiers (``python -m pytest``, as README says)."""
    _install(session, "-e", ".[test]")
    # --durations=20: the log says where the time goes.
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "--durations=20", *session.posargs
    )


@nox.session(python=PYTHONS)
def smoke(session: nox.Session) -> None:
    """The version-sensitive subset (:data:`SMOKE`), for the interpreters CI adds."""
    _install(session, "-e", ".", _test_requirement("pytest"), _test_requirement("pytest-xdist"))
    # -n 0: in this process (pyproject's addopts name xdist, hence its install): .ci/run runs
    # the smoke sessions of two Pythons at once, one core each.
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", *SMOKE, *session.posargs
    )
    session.run(
        "barrierlab", "check", "threading:Barrier", "--profile", "cpython", "--max-schedules", "30"
    )
