"""`valreg init`: a new registry, empty or with the example."""

from __future__ import annotations

import argparse
from pathlib import Path

from valreg.cli.parser import EXIT_OK, Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "init",
        help="create a new, empty registry",
        description="Create a registry in DIR (new or empty): a git repository with "
        "registry.yaml, the schemas and a first commit.",
    )
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--name", default="Values", help="the registry's public name")
    parser.add_argument("--owner", default="Owner", help="the organisation that owns it")
    parser.add_argument("--language", default="da", help="language of public texts (default: da)")
    parser.add_argument(
        "--example",
        action="store_true",
        help="KL's 11 first-draft values and a fictional consultation round to try "
        "the workflow on (marked fictional throughout)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.publishing.scaffold import init_registry

    target = init_registry(
        Path(args.dir),
        name=args.name,
        owner=args.owner,
        language=args.language,
        example=args.example,
    )
    print(f"created a registry in {target}; next: cd {args.dir} && valreg check")
    return EXIT_OK
