"""`valreg status`: who has answered a round, and where its changes stand."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_OK, Commands, recover_interrupted, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "status",
        parents=[common],
        help="show who has answered a round and where its changes stand",
        description="Every municipality's standing in the round (answered, answered with no "
        "remarks, late, no answer) beside the answers received elsewhere, counts per region, "
        "days to the deadline, and the changes by kind and decision state. A table in a "
        "terminal, plain text when piped. Proposal files that fail their schema are left out "
        "and listed. Finishes or rolls back an interrupted apply; otherwise writes nothing.",
    )
    parser.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--format",
        choices=("text", "md", "json", "csv"),
        default="text",
        help="output format (default: text); json has a stable shape with a version; csv is "
        "one row per municipality with a header row (code, name, region, standing), for a "
        "spreadsheet or a mail merge",
    )
    parser.add_argument(
        "--missing",
        action="store_true",
        help="list only the municipalities with no proposal file in the round (a late "
        "answer and one with no remarks count as answered), e.g. for a reminder",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg import _git
    from valreg.clock import today
    from valreg.registry.snapshot import load_snapshot
    from valreg.workflow.status import (
        render_csv,
        render_json,
        render_markdown,
        render_missing,
        render_text,
        round_status,
    )

    root = registry_root(args)
    recover_interrupted(root)
    status = round_status(load_snapshot(root), args.round, _git.applied_change_ids(root), today())
    if args.missing:
        sys.stdout.write(render_missing(status, args.format))
    elif args.format == "csv":
        sys.stdout.write(render_csv(status.municipalities))
    elif args.format == "json":
        sys.stdout.write(render_json(status))
    elif args.format == "md":
        sys.stdout.write(render_markdown(status))
    else:
        sys.stdout.write(render_text(status, rich=sys.stdout.isatty()))
    return EXIT_OK
