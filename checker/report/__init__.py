"""Conformance reports: rule by rule, where each target stands.

:func:`~barrierlab.checker.report.run.run` checks the targets and returns one JSON-ready dict
per target (:mod:`~barrierlab.checker.report.data` says what is in it);
:func:`~barrierlab.checker.report.files.write_reports` renders them as ``index.html``,
``<target>.md``, ``<target>.json`` and ``junit.xml``, each written atomically.
"""
