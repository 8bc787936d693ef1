"""`valreg init`: a new registry, empty or with the example."""

from __future__ import annotations

import argparse
from pathlib import Path

from valreg.cli.parser import EXIT_OK, Commands


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "init",
        help="create a new registry, ready for GitHub",
        description="Create a registry in DIR (new or empty): a git repository with "
        "registry.yaml, municipalities.yaml, the schemas and a first commit, and what a "
        "registry on GitHub relies on: the check and release workflows, the pull-request "
        "template and issue form, CONTRIBUTING.md and README.md in the registry's language "
        "(Danish for da, English otherwise), CODEOWNERS, Dependabot for the pinned actions, "
        "a .pre-commit-config.yaml with valreg's hook, and docs/rules.md.",
    )
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--name", default="Values", help="the registry's public name")
    parser.add_argument("--owner", default="Owner", help="the organisation that owns it")
    parser.add_argument("--language", default="da", help="language of public texts (default: da)")
    parser.add_argument(
        "--editor",
        action="append",
        default=[],
        metavar="LOGIN",
        help="an editor's GitHub login (repeat for more); they own everything in CODEOWNERS",
    )
    parser.add_argument(
        "--valreg",
        metavar="REQUIREMENT",
        help="what the workflows and the pre-commit hook install: valreg==VERSION from the "
        "package index (default: this version), or 'valreg @ git+https://…/valreg@COMMIT'",
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="KL's 11 first-draft values and a fictional consultation round to try "
        "the workflow on (marked fictional throughout)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.publishing.scaffold import init_registry

    target = init_registry(
        Path(args.dir),
        name=args.name,
        owner=args.owner,
        language=args.language,
        example=args.example,
        editors=tuple(args.editor),
        requirement=args.valreg,
        today=today(),
    )
    print(f"created a registry in {target}; next: cd {args.dir} && valreg check")
    return EXIT_OK
