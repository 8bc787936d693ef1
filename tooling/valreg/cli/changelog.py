"""`valreg changelog`: what changed between two versions, and why."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, emit, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "changelog",
        parents=[common],
        help="what changed between two versions, and why (in Danish)",
        description="The public changelog from FROM to TO: values added, retired, amended "
        "(as a word diff), merged and renumbered, each with the applied changes behind it "
        "(municipality, decision, the editors' reason), and a summary. FROM and TO are "
        "versions (2019.1), tags or git refs, read from git without a checkout. Writes "
        "nothing but --out.",
    )
    parser.add_argument(
        "start",
        nargs="?",
        metavar="FROM",
        help="default: the release before TO",
    )
    parser.add_argument(
        "end",
        nargs="?",
        metavar="TO",
        help="default: the work tree, shown as unreleased (Ikke udgivet)",
    )
    parser.add_argument(
        "--format",
        choices=("md", "json", "html"),
        default="md",
        help="md (Markdown, for GitHub), json (stable shape: valreg schema changelog) or "
        "html (one standalone page) (default: md)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.publishing.changelog import RENDERERS
    from valreg.versions.changelog import build_changelog

    changelog = build_changelog(registry_root(args), args.start, args.end, today=today())
    output = RENDERERS[args.format](changelog)
    emit(output, args.out)
    return EXIT_OK
