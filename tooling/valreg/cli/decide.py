"""`valreg decide`: record the editors' decisions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from valreg.cli.parser import EXIT_OK, Commands, registry_root
from valreg.errors import UsageError

if TYPE_CHECKING:
    import datetime as dt

    from valreg.workflow.decide import Decided

USAGE = (
    "%(prog)s [-h] [--root DIR] [--editor LOGIN] CHANGE_ID... DECISION [--reason TEXT] "
    "[--text TEXT | --combine] [--id ID]\n"
    "       %(prog)s [-h] [--root DIR] [--editor LOGIN] --from FILE"
)


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "decide",
        parents=[common],
        usage=USAGE,
        help="record the editors' decision on changes",
        description="Record a decision on one or more changes in "
        "registry/rounds/<round>/decisions.yaml (comments and order are kept). A reason is "
        "required for everything but accept; modify takes the final text and exists for "
        "amend, add and merge; a comment takes note or reject. With --from, many decisions "
        "at once from a CSV file (all or none).",
    )
    parser.add_argument(
        "items",
        nargs="*",
        metavar="CHANGE_ID... DECISION",
        help="change ids (<round>/<file name>#<id>, as `valreg review` shows them), then "
        "accept, reject, modify or note",
    )
    parser.add_argument("--reason", metavar="TEXT", help="why (published in the report)")
    parser.add_argument("--text", metavar="TEXT", help="the final text (modify only)")
    parser.add_argument(
        "--combine",
        action="store_true",
        help="with modify: amendments of one value that change different words (`valreg "
        "review` says 'can be combined') get one text with all their edits, each naming the "
        "others; --reason defaults to one that names the municipalities",
    )
    parser.add_argument(
        "--id",
        dest="value_id",
        metavar="ID",
        help="the id (and file name) of the value an accepted or modified add creates "
        "(default: apply makes one from its text)",
    )
    parser.add_argument(
        "--from",
        dest="sheet",
        metavar="FILE",
        help="decide from a CSV file with a header row: change, decision, reason, text "
        "(and optionally id); `,` or `;` between cells, UTF-8 (a BOM is fine). Every row is "
        "checked first; one bad row refuses them all, and nothing is written",
    )
    parser.add_argument(
        "--editor",
        metavar="LOGIN",
        help="who decides (default: git config valreg.editor); recorded, never published",
    )
    parser.set_defaults(handler=run, usage=parser.format_usage)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.workflow.decide import decide_from_sheet

    usage: Callable[[], str] = args.usage
    if args.sheet is not None:
        given = [f"--{name}" for name in ("reason", "text") if getattr(args, name) is not None]
        given += ["--combine"] if args.combine else []
        if args.items or given or args.value_id is not None:
            raise UsageError(
                "valreg decide: --from takes every decision from the file; give no change ids, "
                f"decision, --reason, --text or --id with it\n{usage().rstrip()}"
            )
        root = registry_root(args)
        results = decide_from_sheet(root, Path(args.sheet), editor=args.editor, today=today())
    else:
        results = _decide_one(args, usage, today())
    for decided in results:
        replaced = (
            f" (replaces the earlier decision '{decided.replaced}')" if decided.replaced else ""
        )
        print(f"{decided.change_id}: {decided.decision}{replaced}")
        warning = _stale_warning(decided)
        if warning is not None:
            print(f"valreg: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _decide_one(args: argparse.Namespace, usage: Callable[[], str], day: dt.date) -> list[Decided]:
    from valreg.registry.models import DECISIONS
    from valreg.workflow.decide import decide

    if not args.items:
        raise UsageError(
            f"valreg decide: give CHANGE_ID... DECISION, or --from FILE\n{usage().rstrip()}"
        )
    *change_ids, decision = args.items
    if decision not in DECISIONS or not change_ids:
        raise UsageError(
            "usage: valreg decide CHANGE_ID... accept|reject|modify|note; the decision "
            f"comes last (got '{decision}')"
        )
    return decide(
        registry_root(args),
        change_ids,
        decision,
        reason=args.reason,
        text=args.text,
        value_id=args.value_id,
        combine=args.combine,
        editor=args.editor,
        today=day,
    )


def _stale_warning(decided: Decided) -> str | None:
    """Apply's "stale", said when the decision is taken: the change was written against an
    older text of a value it touches."""
    if not decided.stale_values:
        return None
    values = ", ".join(decided.stale_values)
    said = (
        f"{decided.change_id} was written against {decided.stale_since}, and the text of "
        f"{values} has changed since"
    )
    if decided.decision == "accept" and decided.kind in ("amend", "merge"):
        return (
            f"{said}; apply will refuse to accept it as it is: decide 'modify' with the final "
            "text instead (the decision is recorded)"
        )
    if decided.decision == "modify":
        return f"{said}; check that the final text builds on the current one (recorded)"
    return f"{said}; check that the decision still holds (recorded)"
