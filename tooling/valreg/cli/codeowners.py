"""`valreg codeowners`: .github/CODEOWNERS from registry.yaml."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_FAILED, EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "codeowners",
        parents=[common],
        help="write .github/CODEOWNERS from registry.yaml",
        description="Write .github/CODEOWNERS so that the editors in registry/registry.yaml "
        "own everything (atomically; only when it changes). With --check, write nothing and "
        "exit 1 when the file is stale.",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file is stale; write nothing"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.workflow.codeowners import CODEOWNERS_FILE, write_codeowners

    result = write_codeowners(registry_root(args), check=args.check)
    if result.current:
        print(f"{CODEOWNERS_FILE} is current")
        return EXIT_OK
    if args.check:
        print(f"{CODEOWNERS_FILE} is stale; run: valreg codeowners", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {CODEOWNERS_FILE}")
    return EXIT_OK
