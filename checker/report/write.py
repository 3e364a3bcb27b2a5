"""Writing a report directory: every file atomically, nothing else touched.

Each file is written to a temporary file in the same directory and moved over the old one with
:func:`os.replace`, so a reader (a web server, CI) sees the old file or the new one, never half
of one, and an interrupted run leaves no temporary files behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from barrierlab.checker.report.html import render_html
from barrierlab.checker.report.junit import render_junit
from barrierlab.checker.report.markdown import render_markdown
from barrierlab.model.errors import InvalidArgument

__all__ = ["atomic_write", "check_out_dir", "render_json", "write_reports"]


def check_out_dir(out: str | os.PathLike[str]) -> Path:
    """Make sure ``out`` is a writable directory (creating it if needed), or raise.

    Called before any check runs, so a bad ``--out`` fails at once, in one line.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InvalidArgument(f"--out {out}: exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidArgument(f"--out {out}: cannot write there ({reason})") from None
    return path


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_json(report: dict[str, Any]) -> str:
    """One target's report as JSON text (key order as built, so diffs stay readable)."""
    return json.dumps(report, indent=1, ensure_ascii=False) + "\n"


def write_reports(out: str | os.PathLike[str], reports: list[dict[str, Any]]) -> list[Path]:
    """Write ``<slug>.json``, ``<slug>.md`` per target, ``index.html`` and ``junit.xml``."""
    path = check_out_dir(out)
    written = []
    try:
        for report in reports:
            for suffix, render in ((".json", render_json), (".md", render_markdown)):
                target = path / (report["slug"] + suffix)
                atomic_write(target, render(report))
                written.append(target)
        for name, text in (
            ("index.html", render_html(reports)),
            ("junit.xml", render_junit(reports)),
        ):
            atomic_write(path / name, text)
            written.append(path / name)
    except OSError as error:
        raise InvalidArgument(f"--out {out}: cannot write the report ({error.strerror})") from None
    return written
