"""`valreg intake`: an e-mailed (or Word, or issue-form) answer becomes a draft proposal."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from valreg.cli.parser import EXIT_OK, Commands, registry_root

if TYPE_CHECKING:
    from valreg.workflow.intake import Intake


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "intake",
        parents=[common],
        help="turn a received answer (e-mail, Outlook, Word, text, issue form) into a proposal",
        description="Read answers as editors receive them and write each as a draft proposal "
        "file, named and shaped as `valreg propose` would (proposals/<round>/<code>-<name>"
        ".yaml, or -2 … if taken), that `valreg check` accepts. Reads .eml, Outlook .msg, "
        ".docx (also attached to a mail), .txt, .md, and an issue made with the proposal form "
        "(its Markdown body, or GitHub's issue JSON). The municipality comes from "
        "--municipality, --author, the form, the sender's mail domain or its name in the "
        "text; the date from the mail or the form. Answers to the round's questions and "
        "comments on numbered values are placed where the text quotes or numbers them; all "
        "other text is kept word for word in a general comment. Signatures, e-mail addresses "
        "and phone numbers are taken out and listed here, not written. Nothing is written if "
        "any file is refused.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a received answer")
    parser.add_argument(
        "--round", metavar="ROUND", help="default: the round the form names, else the open one"
    )
    parser.add_argument(
        "--municipality",
        metavar="CODE",
        help="the municipality that answers, e.g. 461 (default: found in the file)",
    )
    parser.add_argument(
        "--author",
        metavar="LOGIN",
        help="the GitHub login that sent it (an issue's author): refused unless it is listed "
        "for the municipality in registry/municipalities.yaml",
    )
    parser.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write proposals/<round>/<file> under DIR instead of the registry",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the file it would write; write nothing"
    )
    parser.add_argument(
        "--late",
        action="store_true",
        help="allow an answer to a closed round (the editors will see it as late)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.workflow.intake import Request, intake_answers

    root = registry_root(args)
    request = Request(
        round_id=args.round, municipality=args.municipality, author=args.author, late=args.late
    )
    intakes = intake_answers(
        root,
        [Path(name) for name in args.files],
        request,
        today=today(),
        dry_run=args.dry_run,
        out_dir=Path(args.out_dir) if args.out_dir is not None else None,
    )
    for intake in intakes:
        _report(intake, dry_run=args.dry_run)
    return EXIT_OK


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


def _report(intake: Intake, *, dry_run: bool) -> None:
    print(f"{intake.source} ({intake.kind}):")
    print(
        f"  municipality: {intake.municipality.code} {intake.municipality.name} "
        f"(from {intake.municipality_from})"
    )
    print(f"  submitted: {intake.submitted} (from {intake.submitted_from})")
    _section("recognised", intake.recognised or ["nothing: no question or value was named"])
    left = [" ".join(text.split())[:120] for text in intake.left]
    _section(f"kept word for word in a general comment ({len(intake.left)})", left)
    _section("removed, not written (personal data; check the file for more)", intake.removed)
    _section("notes", intake.notes)
    if dry_run:
        print(f"would write {_shown(intake.path)}:")
        print(intake.text, end="")
    else:
        print(f"wrote {_shown(intake.path)}")
        print("next: read it against the original answer, then run valreg check on it")


def _section(title: str, lines: list[str]) -> None:
    if lines:
        print(f"  {title}:")
        for line in lines:
            print(f"    - {line}")
