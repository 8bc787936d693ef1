"""`valreg access grant|revoke|list`: which GitHub logins speak for which municipality."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import TYPE_CHECKING

from valreg.cli.parser import EXIT_OK, Commands, registry_root

if TYPE_CHECKING:
    from valreg.workflow.access import Access

_WHAT = (
    "The logins are the `logins` of the municipality's entry in "
    "registry/municipalities.yaml, which `valreg check-pr` reads: such a login may add and "
    "edit that municipality's own proposal files. .github/CODEOWNERS does not change: it "
    "names only the editors (valreg codeowners), never a municipality."
)


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "access",
        help="grant, revoke or list the GitHub logins that speak for a municipality",
        description=f"Who may open pull requests for which municipality. {_WHAT}",
    )
    actions = parser.add_subparsers(dest="action")
    actions.required = True
    rules = (
        "Edits only that municipality's entry (comments and formatting are kept) and makes "
        "one commit of registry/municipalities.yaml alone. Refused (exit 1, nothing "
        "written): an unknown municipality, a login GitHub would not accept, a login that "
        "is an editor's, or "
    )
    for action, verb, refusal in (
        (
            "grant",
            "let LOGIN open pull requests for MUNICIPALITY",
            "one already granted "
            "(to this municipality or to another: a login speaks for one municipality).",
        ),
        ("revoke", "take LOGIN off MUNICIPALITY's list", "one that is not granted there."),
    ):
        sub = actions.add_parser(
            action,
            parents=[common],
            help=verb,
            description=f"{verb[0].upper()}{verb[1:]}. {rules}{refusal} {_WHAT}",
        )
        sub.add_argument(
            "municipality",
            metavar="MUNICIPALITY",
            help="its code (461, 0461) or its name (Odense)",
        )
        sub.add_argument("login", metavar="LOGIN", help="a GitHub login, e.g. odense-boern")
        sub.set_defaults(handler=run)
    listing = actions.add_parser(
        "list",
        parents=[common],
        help="the municipalities that have logins",
        description=f"Every municipality that has logins, by code. {_WHAT}",
    )
    listing.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="csv: one row per login, with a header row (code, name, region, login)",
    )
    listing.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.workflow.access import grant_access, list_access, revoke_access

    root = registry_root(args)
    if args.action == "list":
        print(render_access(list_access(root), args.format), end="")
        return EXIT_OK
    change = (grant_access if args.action == "grant" else revoke_access)(
        root, args.municipality, args.login
    )
    where = f"{change.municipality.code} {change.municipality.name}"
    done = "granted" if change.action == "grant" else "revoked"
    print(f"{where}: {done} {change.login} (commit {change.commit[:12]})")
    print(f"logins of {where}: {', '.join(change.municipality.logins) or 'none'}")
    return EXIT_OK


def render_access(entries: list[Access], form: str) -> str:
    if form == "json":
        listed = [
            {"code": e.code, "name": e.name, "region": e.region, "logins": list(e.logins)}
            for e in entries
        ]
        return (
            json.dumps({"version": 1, "municipalities": listed}, ensure_ascii=False, indent=2)
            + "\n"
        )
    if form == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "region", "login"])
        for e in entries:
            writer.writerows([e.code, e.name, e.region, login] for login in e.logins)
        return out.getvalue()
    if not entries:
        return "no municipality has logins; grant one with: valreg access grant CODE LOGIN\n"
    width = max(len(f"{e.code} {e.name}") for e in entries)
    return "".join(f"{f'{e.code} {e.name}':<{width}}  {', '.join(e.logins)}\n" for e in entries)
