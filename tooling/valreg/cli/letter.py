"""`valreg letter`: a round's letter (høringsbrev), reminder, or list of recipients."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from valreg.cli.parser import EXIT_OK, Commands, emit, registry_root
from valreg.errors import Refused, UsageError

if TYPE_CHECKING:
    from valreg.publishing.letter import LetterSource


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "letter",
        parents=[common],
        help="the letter (høringsbrev) of a round, its reminder, or its list of recipients",
        description="Render registry/rounds/ROUND/letter.md, the editors' Markdown, with its "
        "placeholders filled from the registry ({{ værdier }}, {{ spørgsmål }}, {{ frist }}, "
        "{{ dage_tilbage }}, {{ svarside }}, {{ repository }}, {{ kontakt }}, {{ modtager }}, "
        "{{ titel }}, {{ afsender }}; see the README). --to missing makes the reminder to "
        "the municipalities with no proposal file in the round; --per-municipality writes "
        "one letter per municipality addressed, for a mail merge. --recipients gives the "
        "høringsliste instead. Refuses an invalid registry and an unknown placeholder "
        "(exit 1). Writes nothing but --out or --per-municipality.",
    )
    parser.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    parser.add_argument(
        "--format",
        choices=("md", "html", "docx", "csv"),
        help="md (Markdown, for GitHub; the default), html (one standalone printable page) or "
        "docx (a Word letter; needs --out, a pipe or --per-municipality); with --recipients "
        "md or csv (with a header row)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    parser.add_argument(
        "--to",
        choices=("all", "missing"),
        default="all",
        help="all municipalities (default), or only those with no proposal file in the round "
        "(a late answer and one with no remarks count as answered): the reminder",
    )
    parser.add_argument(
        "--per-municipality",
        metavar="DIR",
        help="write one letter per municipality addressed into DIR, as <code>-<name>.<format>, "
        "each with its name and code in the salutation and its own answer link",
    )
    parser.add_argument(
        "--recipients",
        action="store_true",
        help="the høringsliste: the municipalities consulted (or, with --to missing, those "
        "that have not answered) with code and region, in Danish alphabetical order",
    )
    parser.set_defaults(handler=run)


def _format(args: argparse.Namespace) -> str:
    if args.recipients:
        if args.format not in (None, "md", "csv"):
            raise UsageError("with --recipients, --format is md or csv")
        if args.per_municipality is not None:
            raise UsageError("--recipients and --per-municipality do not go together")
        return str(args.format or "md")
    if args.format == "csv":
        raise UsageError("csv is for --recipients; a letter is md, html or docx")
    if args.per_municipality is not None and args.out is not None:
        raise UsageError("--per-municipality writes into its folder; leave out --out")
    fmt = str(args.format or "md")
    to_terminal = args.out is None and args.per_municipality is None and sys.stdout.isatty()
    if fmt == "docx" and to_terminal:
        raise UsageError("a Word document is not for a terminal; give --out FILE (or a pipe)")
    return fmt


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.publishing.letter import (
        RENDERERS,
        build_letter,
        load_letter_source,
        recipients,
        render_recipients_csv,
        render_recipients_markdown,
    )

    fmt = _format(args)
    root = registry_root(args)
    source = load_letter_source(root, args.round)
    if args.recipients:
        rows = recipients(source, args.to)
        if fmt == "csv":
            emit(render_recipients_csv(rows), args.out)
        else:
            missing = args.to == "missing"
            emit(
                render_recipients_markdown(rows, title=source.round.title, missing=missing),
                args.out,
            )
        return EXIT_OK
    if args.per_municipality is not None:
        return _per_municipality(root, args, source, fmt)
    letter = build_letter(source, today=today(), to=args.to)
    _warn_draft(source.text, source.path)
    emit(RENDERERS[fmt](letter), args.out)
    return EXIT_OK


def _per_municipality(root: Path, args: argparse.Namespace, source: LetterSource, fmt: str) -> int:
    from valreg.atomic import write_atomic
    from valreg.clock import today
    from valreg.publishing.letter import build_letters
    from valreg.publishing.letter.render import letter_files

    out = Path(args.per_municipality)
    inside = out.resolve()
    for folder in ("registry", "values", "proposals"):
        if inside.is_relative_to((root / folder).resolve()):
            raise Refused(
                f"--per-municipality {out} is inside the registry's {folder}/ folder, which "
                "holds only registry files; choose a folder outside it"
            )
    if out.exists() and not out.is_dir():
        raise Refused(f"{out} exists and is not a folder")
    files = letter_files(build_letters(source, today=today(), to=args.to), fmt)
    _warn_draft(source.text, source.path)
    for name, data in files.items():
        write_atomic(out / name, data)
    print(f"wrote {len(files)} letters to {out}", file=sys.stderr)
    return EXIT_OK


def _warn_draft(text: str, path: str) -> None:
    """Say so when letter.md still has notes of round open's draft in it."""
    from valreg.publishing.letter.build import DRAFT_NOTE

    lines = [n for n, line in enumerate(text.splitlines(), start=1) if DRAFT_NOTE in line]
    if lines:
        print(
            f"valreg: warning: {path} still has the draft's notes for the editors "
            f"('{DRAFT_NOTE} …', line {', '.join(map(str, lines))}); rewrite them",
            file=sys.stderr,
        )
