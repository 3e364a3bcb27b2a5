"""The CPython interpreters this machine has besides the running one, found as nox finds them.

A ``python3.X`` on PATH, or a pyenv install (``$PYENV_ROOT/versions/3.X.*/bin/python3.X``,
``~/.pyenv`` by default; free-threaded ``3.13t`` builds are not GIL builds of 3.13 and are not
returned). Each candidate is run once and kept only if it reports the version its name says (a
pyenv shim for a version that is not selected fails).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path


def _reports(exe: str, version: tuple[int, int]) -> bool:
    probe = (
        "import sys, sysconfig; print(sys.version_info[0], sys.version_info[1], "
        "int(bool(sysconfig.get_config_var('Py_GIL_DISABLED'))))"
    )
    try:
        done = subprocess.run([exe, "-I", "-c", probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.split() == [*map(str, version), "0"]


@functools.cache
def find_python(version: tuple[int, int]) -> str | None:
    """The path of a GIL CPython ``version`` (major, minor), or None if there is none."""
    name = f"python{version[0]}.{version[1]}"
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    installs = sorted(root.glob(f"versions/{version[0]}.{version[1]}.*/bin/{name}"), reverse=True)
    candidates = [str(p) for p in installs if not p.parts[-3].endswith("t")]
    on_path = shutil.which(name)
    if on_path is not None:
        candidates.insert(0, on_path)
    return next((exe for exe in candidates if _reports(exe, version)), None)


def run_python(exe: str, code: str) -> str:
    """Run ``code`` with the interpreter ``exe`` in isolated mode; return its standard output."""
    done = subprocess.run([exe, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout
