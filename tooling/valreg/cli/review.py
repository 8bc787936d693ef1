"""`valreg review`: a round's changes per value, as word diffs, with conflicts."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "review",
        parents=[common],
        help="show a round's changes per value, as word diffs, with conflicts",
        description="For each value: its current text and every change of the round that "
        "touches it, as a word diff, with municipality, rationale and decision state. Flags "
        "conflicts, stale changes (written against an older text) and duplicates (the same "
        "text from several municipalities); then comments on the whole set and the answers "
        "to each question. A report: exit 0 even when it flags conflicts.",
    )
    parser.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--value", metavar="ID", help="only this value and the changes that touch it"
    )
    parser.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="text for a terminal, md (Markdown) for a pull request or an agenda, json for "
        "scripts (default: text)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg._git import applied_change_ids
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.review import RENDERERS, review_round

    root = registry_root(args)
    review = review_round(load_snapshot(root), args.round, applied_change_ids(root), args.value)
    sys.stdout.write(RENDERERS[args.format](review))
    return EXIT_OK
