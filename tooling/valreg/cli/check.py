"""`valreg check`: validate the registry's files and the rules between them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from valreg.cli.parser import EXIT_FAILED, EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check",
        parents=[common],
        help="validate every file of the registry",
        description="Validate the registry's files and the rules between them. Writes "
        "nothing. Exit 1 on errors (or warnings with --strict).",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="check these files or folders and what they refer to (default: everything)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--since",
        metavar="REF",
        help="report only on the files changed since commit REF (committed, staged, "
        "unstaged, untracked or deleted) and on the files that depend on them: files "
        "that refer to a changed file (a proposal naming a value, round or release; a "
        "decision naming a proposal's change; a release listing values and rounds; a "
        "value merged into another), every release when a release changed, and every "
        "value whose number is duplicated or out of range when a value changed. The "
        "rules still see the whole registry",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--lang", choices=("en", "da"), default="en", help="language of the messages (default: en)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file afresh and keep no cache (default: from the second check "
        "of a clone on, the parse results of unchanged files are kept in .git/valreg/; the "
        "first check, as in CI's fresh clone, fills none)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.registry.check import cache_wanted, check_registry
    from valreg.registry.diagnostics import RENDERERS, summary_line

    root = registry_root(args)
    result = check_registry(
        root,
        [Path(p) for p in args.paths],
        use_cache=not args.no_cache and cache_wanted(root),
        since=args.since,
    )
    sys.stdout.write(RENDERERS[args.format](result, args.lang))
    if args.format != "text":
        print(summary_line(result, args.lang), file=sys.stderr)
    return EXIT_FAILED if result.failed(strict=args.strict) else EXIT_OK
