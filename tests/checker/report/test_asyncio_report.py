"""Reports cover asyncio targets: judged by the asyncio profile only, whatever profiles the
report asks for, and listed among the bundled targets."""

from __future__ import annotations

import importlib.util
import json
from importlib.resources import files
from pathlib import Path

from barrierlab.checker.report.checks import Settings, bundled_targets, run


def _errors():
    """The schema validator of test_formats.py beside this file (the subset schema.json uses)."""
    spec = importlib.util.spec_from_file_location(
        "_formats", Path(__file__).with_name("test_formats.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.errors


def test_an_asyncio_target_is_reported_under_the_asyncio_profile_only():
    settings = Settings(
        profiles=("documented", "cpython"), max_schedules=5, scenarios=("aio-reset",)
    )
    [report] = run(["barrierlab.impl.asyncio_reference:Barrier"], settings)
    assert [(r["profile"], r["verdict"]) for r in report["results"]] == [("asyncio", "pass")]
    assert report["settings"]["profiles"] == ["asyncio"]
    schema = json.loads(files("barrierlab.checker.report").joinpath("schema.json").read_text())
    assert list(_errors()(json.loads(json.dumps(report)), schema, schema)) == []


def test_bundled_targets_include_the_asyncio_ones():
    bundled = bundled_targets()
    assert "asyncio:Barrier" in bundled
    assert "barrierlab.impl.asyncio_reference:Barrier" in bundled
    assert "threading:Barrier" in bundled
