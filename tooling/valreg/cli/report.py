"""`valreg report`: a round's consultation report (høringsnotat)."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_OK, Commands, emit, registry_root
from valreg.errors import UsageError


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "report",
        parents=[common],
        help="the consultation report (høringsnotat) of a round, in Danish",
        description="The høringsnotat of a round, laid out as a commented consultation "
        "overview: what was sent out, to whom and when, every municipality's answer and who "
        "approved it; value by value the text sent out, the proposals (the same proposal "
        "from several municipalities once, naming them all), the editors' comment and the "
        "resulting text; the answers to the round's questions; and the counts. Refuses an "
        "invalid registry (exit 1). Never shows an editor's login. Writes nothing but --out.",
    )
    parser.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--format",
        choices=("md", "html", "docx"),
        default="md",
        help="md (Markdown, for GitHub), html (one standalone page) or docx (a Word "
        "document for a committee's agenda; needs --out or a pipe) (default: md)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="link the base release to URL/udgivelser/VERSION.html, the static site's page "
        "(default: the manifest registry/releases/VERSION.yaml, relative to the repository)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.publishing.report import RENDERERS, build_report

    if args.format == "docx" and args.out is None and sys.stdout.isatty():
        raise UsageError("a Word document is not for a terminal; give --out FILE (or a pipe)")
    root = registry_root(args)
    if args.base_url is not None:
        base = args.base_url.rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise UsageError(f"--base-url {args.base_url}: give an http(s) URL")

        def release_url(version: str) -> str | None:
            return f"{base}/udgivelser/{version}.html"

    else:

        def release_url(version: str) -> str | None:
            return f"registry/releases/{version}.yaml"

    report = build_report(root, args.round, today=today(), release_url=release_url)
    output = RENDERERS[args.format](report)
    emit(output, args.out)
    return EXIT_OK
