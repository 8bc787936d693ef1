"""`valreg round`: open a round, move its deadline, close it, list the rounds."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_OK, Commands, date_option, recover_interrupted, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "round",
        parents=[common],
        help="open a consultation round, extend its deadline, close it, list the rounds",
        description="A round's life without hand-written YAML. open, extend and close each "
        "write registry/rounds/<id>/round.yaml (edits keep its comments and order) and make "
        "one commit of just the files they write; a refusal writes nothing (exit 1).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    opening = actions.add_parser(
        "open",
        parents=[common],
        help="open a new round: round.yaml, a letter draft and the proposal folder",
        description="Write registry/rounds/ID/round.yaml (valid and commented), "
        "registry/rounds/ID/letter.md (a Danish letter draft for the editors to rewrite; "
        "`valreg letter ID` renders it) and proposals/ID/README.md (in Danish: what the "
        "round is and how to answer), in one commit. Refuses an id that exists or is "
        "malformed, a deadline not after --opens, an unknown --base, a round with neither "
        "--base nor --question, and a deadline in the past unless --record.",
    )
    opening.add_argument("id", metavar="ID", help="the new round's id, e.g. 2020-1")
    opening.add_argument("--deadline", required=True, metavar="DATE", help="last day, YYYY-MM-DD")
    opening.add_argument("--base", metavar="VERSION", help="the release sent out for comments")
    opening.add_argument("--opens", metavar="DATE", help="first day, YYYY-MM-DD (default: today)")
    opening.add_argument("--title", metavar="TEXT", help="the public title (default from --base)")
    opening.add_argument(
        "--question",
        action="append",
        default=[],
        metavar="TEXT",
        help="a question the municipalities answer (repeat for more; ids q1, q2 …)",
    )
    opening.add_argument(
        "--record",
        action="store_true",
        help="enter a historical round: allow a deadline in the past",
    )
    opening.set_defaults(handler=run)
    extending = actions.add_parser(
        "extend",
        parents=[common],
        help="move an open round's deadline later",
        description="Set a later deadline in the round's round.yaml (comments and order "
        "kept) and commit it. Refuses a closed round and a deadline not after the current one.",
    )
    extending.add_argument("id", metavar="ID", help="the round")
    extending.add_argument("--deadline", required=True, metavar="DATE", help="new last day")
    extending.add_argument("--record", action="store_true", help="allow a deadline in the past")
    extending.set_defaults(handler=run)
    closing = actions.add_parser(
        "close",
        parents=[common],
        help="close a round: it takes no new proposals",
        description="Set closed: true in the round's round.yaml and commit it.",
    )
    closing.add_argument("id", metavar="ID", help="the round")
    closing.set_defaults(handler=run)
    listing = actions.add_parser(
        "list",
        parents=[common],
        help="every round with its deadline, answers and state",
        description="Every round: id, title, base, opens, deadline, days left, answers "
        "(municipalities with a proposal file of all in the registry, and those answered "
        "elsewhere) and state (planned, open, past deadline, closed; a round a release "
        "includes is closed once its deadline has passed). Writes nothing.",
    )
    listing.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (a table) or json (a stable shape with a version) (default: text)",
    )
    listing.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today

    root = registry_root(args)
    if args.action == "list":
        from valreg.registry.snapshot import load_snapshot
        from valreg.workflow.rounds import list_rounds, render_list_json, render_list_text

        recover_interrupted(root)
        day = today()
        summaries = list_rounds(load_snapshot(root), day)
        if args.format == "json":
            sys.stdout.write(render_list_json(summaries, day))
        else:
            sys.stdout.write(render_list_text(summaries))
        return EXIT_OK
    from valreg.workflow.rounds import close_round, extend_round, open_round

    if args.action == "open":
        from valreg.publishing.letter import round_documents
        from valreg.workflow.rounds import RoundSpec

        deadline = date_option("--deadline", args.deadline)
        assert deadline is not None  # a required option
        spec = RoundSpec(
            id=args.id,
            deadline=deadline,
            base=args.base,
            opens=date_option("--opens", args.opens),
            title=args.title,
            questions=tuple(args.question),
            record=args.record,
        )
        written = open_round(root, spec, today=today(), documents=round_documents)
    elif args.action == "extend":
        deadline = date_option("--deadline", args.deadline)
        assert deadline is not None
        written = extend_round(root, args.id, deadline, today=today(), record=args.record)
    else:
        written = close_round(root, args.id)
    print(f"{written.message.splitlines()[0]} (commit {written.commit[:12]})")
    for path in written.paths:
        print(f"  {path}")
    if args.action == "open":
        print(
            f"next: rewrite registry/rounds/{written.round_id}/letter.md, then "
            f"`valreg letter {written.round_id} --format docx --out brev.docx`"
        )
    return EXIT_OK
