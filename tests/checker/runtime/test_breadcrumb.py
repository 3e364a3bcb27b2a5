"""The breadcrumb a supervised worker's runs leave: what the supervisor reads back."""

from __future__ import annotations

from barrierlab.checker.runtime.breadcrumb import Breadcrumb, read


def test_the_last_run_is_read_back(tmp_path):
    path = str(tmp_path / "crumb")
    crumb = Breadcrumb(path, capacity=10)
    crumb.start({"name": "first"})
    crumb.choice(5)
    crumb.start({"name": "second", "parties": 2})
    for code in (0, 3, 1):
        crumb.choice(code)
    assert read(path) == ({"name": "second", "parties": 2}, (0, 3, 1))


def test_nothing_or_too_much_is_said_plainly(tmp_path):
    assert read(str(tmp_path / "missing")) == (None, None)
    path = str(tmp_path / "crumb")
    crumb = Breadcrumb(path, capacity=2)
    assert read(path) == (None, None)  # no run began
    crumb.start({"name": "long"})
    for code in range(3):
        crumb.choice(code)
    assert read(path) == ({"name": "long"}, None)  # more choices than it could hold
