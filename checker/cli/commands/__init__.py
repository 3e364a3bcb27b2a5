"""Subcommands of the ``barrierlab`` command: one module each.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``
(the exit status). :data:`COMMANDS` lists them in the order ``--help`` shows them.
"""

from __future__ import annotations

from barrierlab.checker.cli.commands import accept, check, prove, replay, report, selftest, spec

COMMANDS = [check, replay, report, accept, spec, prove, selftest]
