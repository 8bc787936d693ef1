"""`valreg apply`: a round's accepted changes in one commit."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "apply",
        parents=[common],
        help="apply a round's accepted changes in one commit",
        description="Apply every accepted and modified change of the round to values/ in "
        "one commit with an `Applies: <change id>` trailer per change. Refuses, writing "
        "nothing, on conflicting or stale accepted changes, decisions that no longer match "
        "their change, or uncommitted edits to the files it would write. Changes already in "
        "effect are skipped.",
    )
    parser.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan and the diff; write nothing"
    )
    parser.add_argument(
        "--no-commit",
        action="store_true",
        help="stage the edits and prepare the commit message (trailers included) for your own "
        "commit",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.workflow.apply import apply_round

    result = apply_round(
        registry_root(args), args.round, dry_run=args.dry_run, commit=not args.no_commit
    )
    plan = result.plan
    for change_id, why in plan.skipped:
        print(f"skipped {change_id}: {why}")
    if not plan.steps:
        print(f"nothing to apply in round {plan.round_id}")
        return EXIT_OK
    if args.dry_run:
        print(plan.message, end="")
        print()
        print(plan.diff(), end="")
        print("dry run: nothing was written")
    elif result.commit is not None:
        print(plan.message, end="")
        print(f"committed {result.commit[:12]}")
    else:
        print(plan.message, end="")
        print(f"the edits are staged; commit them with: git commit --file {result.message_file}")
    return EXIT_OK
