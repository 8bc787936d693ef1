"""`valreg propose`: a proposal file for a municipality to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from valreg.cli.parser import EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "propose",
        parents=[common],
        help="write a proposal file for a municipality to fill in",
        description="Write a new proposal file for a municipality in a round, valid as it "
        "stands (no changes and no answers means 'no remarks'), with Danish guidance, the "
        "base release's values, the round's questions as answer stubs and an example of each "
        "kind of change, all commented out. Never overwrites: the file is "
        "proposals/<round>/<code>-<name>.yaml, or -2, -3 … if that is taken. Refuses a "
        "closed round, and one past its deadline unless --late.",
    )
    parser.add_argument(
        "--municipality",
        required=True,
        metavar="CODE",
        help="the municipality's code, e.g. 461 or 0461 (see registry/municipalities.yaml)",
    )
    parser.add_argument("--round", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--out",
        metavar="PATH",
        help="write this new file instead (refused if it exists; inside the registry it must "
        "be proposals/<round>/<code>-<name>.yaml)",
    )
    parser.add_argument(
        "--late",
        action="store_true",
        help="allow a proposal after the round's deadline (the editors will see it as late)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.workflow.propose import write_proposal

    root = registry_root(args)
    path = write_proposal(
        root,
        args.municipality,
        round_id=args.round,
        out=Path(args.out) if args.out is not None else None,
        late=args.late,
        today=today(),
    )
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"wrote {shown}")
    if path.is_relative_to(root):
        print(f"next: edit the file, then run valreg check {shown}")
    else:
        print(
            "next: edit the file, then put it into the registry's proposals/<round>/ folder "
            "and run valreg check on it"
        )
    return EXIT_OK
