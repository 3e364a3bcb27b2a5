"""Conformance reports: rule by rule, where each target stands.

:func:`~barrierlab.checker.report.checks.run` checks the targets and returns one JSON-ready dict
per target (:mod:`~barrierlab.checker.report.content` says what is in it);
:func:`~barrierlab.checker.report.write.write_reports` renders them as ``index.html``,
``<target>.md``, ``<target>.json`` and ``junit.xml``, each written atomically.
"""
