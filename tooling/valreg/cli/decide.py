"""`valreg decide`: record the editors' decisions."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, registry_root
from valreg.errors import UsageError


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "decide",
        parents=[common],
        help="record the editors' decision on changes",
        description="Record a decision on one or more changes in "
        "registry/rounds/<round>/decisions.yaml (comments and order are kept). A reason is "
        "required for everything but accept; modify takes the final text and exists for "
        "amend, add and merge; a comment takes note or reject.",
    )
    parser.add_argument(
        "items",
        nargs="+",
        metavar="CHANGE_ID... DECISION",
        help="change ids (<round>/<file name>#<id>, as `valreg review` shows them), then "
        "accept, reject, modify or note",
    )
    parser.add_argument("--reason", metavar="TEXT", help="why (published in the report)")
    parser.add_argument("--text", metavar="TEXT", help="the final text (modify only)")
    parser.add_argument(
        "--editor",
        metavar="LOGIN",
        help="who decides (default: git config valreg.editor); recorded, never published",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.registry.models import DECISIONS
    from valreg.workflow.decide import decide

    *change_ids, decision = args.items
    if decision not in DECISIONS or not change_ids:
        raise UsageError(
            "usage: valreg decide CHANGE_ID... accept|reject|modify|note; the decision "
            f"comes last (got '{decision}')"
        )
    root = registry_root(args)
    for decided in decide(
        root,
        change_ids,
        decision,
        reason=args.reason,
        text=args.text,
        editor=args.editor,
        today=today(),
    ):
        replaced = (
            f" (replaces the earlier decision '{decided.replaced}')" if decided.replaced else ""
        )
        print(f"{decided.change_id}: {decided.decision}{replaced}")
    return EXIT_OK
