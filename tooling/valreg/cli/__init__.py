"""The command line: one module per command (or group), each with its arguments beside its
handler; `parser` lists them. A handler parses nothing itself: arguments → one library call
→ render → exit code. This layer may import everything below it (`publishing`, `versions`,
`workflow`, `registry`, the base modules); nothing imports it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from valreg.cli.parser import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    build_parser,
    parse_arguments,
)
from valreg.errors import UsageError, ValregError

__all__ = ["build_parser", "main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run valreg with `argv`; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show æ, ø, å gets escapes rather than a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = parse_arguments(build_parser(), argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as exc:
        print(f"valreg: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValregError as exc:
        print(f"valreg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("valreg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`valreg check | head`); not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a file valreg was asked to read or write, not a bug
        where = f" {exc.filename}" if exc.filename else ""
        print(f"valreg: error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
