"""The ``barrierlab`` command: argument parsing and exit statuses.

Exit statuses: 0 success (no violation), 1 a violation was found, 2 bad usage or input (one
line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version

from barrierlab.checker.cli.commands import COMMANDS
from barrierlab.checker.cli.output import err
from barrierlab.model.errors import BarrierlabError

__all__ = ["main"]

EXIT_OK, EXIT_VIOLATION, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    try:
        return version("barrierlab")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "unknown"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        err(f"{self.prog}: error: {message}")
        err(f"try '{self.prog} --help'")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="barrierlab",
        description=(
            "Model checking for barrier synchronization: runs a barrier with the API of "
            "threading.Barrier under a deterministic scheduler and checks every trace "
            "against a state-graph spec of the barrier rules."
        ),
        epilog="Exit status: 0 ok, 1 violation found, 2 bad usage or input.",
    )
    parser.add_argument("--version", action="version", version=f"barrierlab {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sp = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(sp)
        sp.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except BarrierlabError as error:
        err(f"barrierlab {args.command}: error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("barrierlab: interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
