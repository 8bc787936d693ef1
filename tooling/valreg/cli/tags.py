"""`valreg tags --recreate`: missing release tags."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, registry_root
from valreg.errors import UsageError


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "tags",
        parents=[common],
        help="recreate missing release tags",
        description="Create the missing tag of each release at the commit that added its "
        "manifest (a fresh clone often has no tags). Never moves an existing tag.",
    )
    parser.add_argument("--recreate", action="store_true", help="create the missing tags")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.versions.release import recreate_tags

    if not args.recreate:
        raise UsageError("valreg tags needs --recreate (the only thing it does)")
    created = recreate_tags(registry_root(args))
    for tag in created:
        print(f"created {tag}")
    if not created:
        print("every release has its tag")
    return EXIT_OK
