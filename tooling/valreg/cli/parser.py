"""The top-level parser: global options, the list of commands, and what every command shares.

Each command lives in its own module of `valreg.cli` with a `register(commands, common)`
that declares its arguments and a `run(args) -> int` that calls one library function and
renders the result. A new command is a new module plus one line in `COMMANDS`. Library
modules are imported inside `run`, so that `valreg --help` stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from valreg import __version__
from valreg.errors import UsageError

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Commands = argparse._SubParsersAction

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: The command modules of `valreg.cli`, in the order `valreg --help` lists them.
COMMANDS = (
    "check",
    "schema",
    "init",
    "round",
    "review",
    "status",
    "check_pr",
    "decide",
    "propose",
    "intake",
    "apply",
    "release",
    "adopt",
    "changelog",
    "report",
    "letter",
    "verify",
    "tags",
    "codeowners",
    "access",
    "site",
    "info",
)


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def date_option(option: str, value: str | None) -> dt.date | None:
    """A date given as `option` on the command line (None when not given), strictly
    YYYY-MM-DD; anything else is a usage error that says how to write it."""
    if value is None:
        return None
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(f"{option} {value}: write YYYY-MM-DD, e.g. 2020-03-01")


def registry_root(args: argparse.Namespace) -> Path:
    """The registry a command works on: --root, or the one around the current folder."""
    from valreg.registry.snapshot import REGISTRY_FILE, find_root

    if args.root is None:
        return find_root(Path.cwd())
    root = Path(args.root)
    if not (root / REGISTRY_FILE).is_file():
        raise UsageError(f"--root {root}: no {REGISTRY_FILE} there")
    return root.resolve()


def recover_interrupted(root: Path) -> None:
    """Finish or roll back a writing command that was killed, and say so."""
    from valreg.transaction import pending_journal, recover, registry_lock

    if pending_journal(root) is None:
        return
    with registry_lock(root):
        recovery = recover(root)
    if recovery is not None:
        print(
            f"valreg: an interrupted command was {recovery.action}: "
            f"{', '.join(recovery.paths) or 'no files touched'}",
            file=sys.stderr,
        )


def emit(output: str | bytes, out: str | None) -> None:
    """A command's document: to `out` (atomically, saying so on standard error) or to
    standard output (bytes as they are)."""
    if out is not None:
        from valreg.atomic import write_atomic

        write_atomic(Path(out), output)
        print(f"wrote {out}", file=sys.stderr)
    elif isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(output)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="valreg",
        description="A git-backed, versioned registry of policy values with a review workflow.",
        epilog="Exit status: 0 success, 1 errors found or operation refused, 2 usage error, "
        "130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"valreg {__version__}")
    common = Parser(add_help=False)
    common.add_argument(
        "--root",
        metavar="DIR",
        help="the registry's folder (default: the nearest folder above the current one "
        "that holds registry/registry.yaml)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True
    for name in COMMANDS:
        importlib.import_module(f"valreg.cli.{name}").register(commands, common)
    return parser


def parse_arguments(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """Parse `argv`; an argument the command does not know is that command's usage error
    (with its own usage line), not the top-level parser's."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                action.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args
