"""`valreg check-pr`: may a pull request be merged for its author?"""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_FAILED, EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check-pr",
        parents=[common],
        help="may a pull request be merged for its author?",
        description="Judge every path changed between the merge base of BASE and HEAD for "
        "the author: editors may change anything; a municipality's login may add or modify "
        "only its own proposal files in an open round, without touching decided changes. "
        "Rights come from the merge base, never from the pull request. The changed files "
        "are also checked as `valreg check` would. Exit 1 if anything is refused.",
    )
    parser.add_argument("--base", required=True, metavar="REF", help="the target branch")
    parser.add_argument("--head", default="HEAD", metavar="REF", help="default: HEAD")
    parser.add_argument("--actor", required=True, metavar="LOGIN", help="the pull request's author")
    parser.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="default: text"
    )
    parser.add_argument(
        "--lang", choices=("en", "da"), default="en", help="language of the messages (default: en)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.workflow.check_pr import RENDERERS, check_pr

    result = check_pr(registry_root(args), args.base, args.head, args.actor, today())
    sys.stdout.write(RENDERERS[args.format](result, args.lang))
    return EXIT_OK if result.ok else EXIT_FAILED
