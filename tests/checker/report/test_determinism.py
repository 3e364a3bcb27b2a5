"""Rerunning a report gives byte-identical files: in another process, with another hash seed,
and with the checks spread over worker processes."""

from __future__ import annotations

import os
import subprocess
import sys


def _files(path):
    return {name: (path / name).read_bytes() for name in sorted(os.listdir(path))}


def test_rerun_in_another_process_gives_identical_bytes(report_dir, report_args, tmp_path):
    out = tmp_path / "again"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "barrierlab.checker.cli.main",
            "report",
            *report_args,
            "--out",
            str(out),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert done.returncode == 0, done.stderr
    first, second = _files(report_dir), _files(out)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_nothing_machine_dependent_in_the_files(report_dir):
    for name, data in _files(report_dir).items():
        text = data.decode("utf-8")
        assert str(report_dir) not in text and os.getcwd() not in text, name
        assert "0x7f" not in text and "seconds" not in text, name
        assert " at 0x" not in text, name
