"""Report files are written atomically, and bad input is one line on stderr with exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from barrierlab.checker.cli.main import main
from barrierlab.checker.report import write as report_files


def test_the_report_directory_holds_exactly_the_report(report_dir, reports):
    names = sorted(os.listdir(report_dir))
    expected = ["index.html", "junit.xml"]
    expected += [f"{r['slug']}{suffix}" for r in reports for suffix in (".json", ".md")]
    assert names == sorted(expected)  # no temporary files left behind
    for name in names:
        assert (report_dir / name).stat().st_mode & 0o644 == 0o644


def test_atomic_write_keeps_the_old_file_when_the_move_fails(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    report_files.atomic_write(target, "old\n")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_files.os, "replace", fail)
    with pytest.raises(OSError):
        report_files.atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["a.md"]


def test_atomic_write_replaces_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "a.md"
    report_files.atomic_write(target, "one\n")
    report_files.atomic_write(target, "two\nlines\n")
    assert target.read_bytes() == b"two\nlines\n"
    assert os.listdir(tmp_path) == ["a.md"]


def _bad(capsys, *args):
    status = main(["report", *args])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    return lines[0]


def test_out_that_is_a_file_is_exit_2(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    assert "not a directory" in _bad(capsys, "threading:Barrier", "--out", str(path))
    assert path.read_text() == "x"


def test_out_below_a_file_is_exit_2(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    line = _bad(capsys, "threading:Barrier", "--out", str(tmp_path / "file" / "sub"))
    assert "cannot write there" in line


def test_unwritable_out_is_exit_2(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)  # root may write anywhere: pretend
    line = _bad(capsys, "threading:Barrier", "--out", str(tmp_path))
    assert "cannot write there (Permission denied)" in line


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "no targets"),
        (["no_such_module_xyz:Barrier"], "cannot import module"),
        (["threading"], "bad target"),
        (["threading:Barrier", "--scenario", "nope"], "unknown scenario"),
        (["threading:Barrier", "--max-schedules", "0"], "--max-schedules must be >= 1"),
        (["threading:Barrier", "--jobs", "0"], "--jobs must be >= 1"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert message in _bad(capsys, *args, "--out", str(out))
    assert not out.exists()


def test_the_command_line_reports_an_unwritable_out_without_a_traceback(tmp_path):
    (tmp_path / "file").write_text("x")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "barrierlab.checker.cli.main",
            "report",
            "threading:Barrier",
            "--out",
            str(tmp_path / "file"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a directory" in done.stderr
