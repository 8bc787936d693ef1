"""`valreg schema`: the JSON Schemas of the file kinds and documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from valreg.cli.parser import EXIT_OK, Commands
from valreg.errors import UsageError

#: The same as valreg.registry.models.FILE_KINDS (test_schema checks), kept here so the
#: parser does not import pydantic.
FILE_KINDS = (
    "registry",
    "municipalities",
    "round",
    "decisions",
    "release",
    "adoption",
    "value",
    "proposal",
)
#: What `valreg schema` exports: the file kinds, then the documents valreg writes.
SCHEMA_KINDS = (*FILE_KINDS, "changelog")


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "schema",
        help="export the JSON Schemas of the file kinds",
        description="Print the JSON Schema (2020-12) of one file kind, or write all of them.",
    )
    parser.add_argument(
        "kind",
        nargs="?",
        choices=SCHEMA_KINDS,
        metavar="KIND",
        help=f"one of: {', '.join(SCHEMA_KINDS)}",
    )
    parser.add_argument(
        "--write",
        metavar="DIR",
        help="write <kind>.schema.json files into DIR (e.g. registry/schema)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.publishing.schema import render_schema, write_schemas

    kinds = [args.kind] if args.kind else list(SCHEMA_KINDS)
    if args.write:
        for path in write_schemas(Path(args.write), kinds):
            print(f"wrote {path}")
    elif args.kind:
        sys.stdout.write(render_schema(args.kind))
    else:
        raise UsageError("name a KIND to print, or give --write DIR to write every schema")
    return EXIT_OK
