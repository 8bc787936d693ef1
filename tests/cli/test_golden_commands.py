"""Every command's output on the example round, byte for byte, against golden files.

A whole round on `valreg init --example`, run through the installed console script in a
fixed order with fixed dates (so commits and tags have fixed ids too): what each command
prints on standard output and standard error, its exit status, and the files it writes.
Made before the package was cut into sub-packages, it proves that a reorganisation
changes no behaviour. Regenerate deliberately with
`VALREG_UPDATE_GOLDEN=1 pytest tests/cli/test_golden_commands.py`.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from conftest import DATA, assert_golden, git, run_valreg

GOLDEN = DATA / "golden" / "commands"
EPOCH = "1571140800"  # 2019-10-15 12:00 UTC: after the example round's deadline
GIT_DATE = "2019-10-15T12:00:00+02:00"

#: (name, arguments); a name starting with "files:" records the files a command wrote.
STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("check", ("check",)),
    ("check-json", ("check", "--format", "json")),
    ("check-github", ("check", "--format", "github")),
    ("check-sarif", ("check", "--format", "sarif")),
    ("info", ("info",)),
    ("status", ("status",)),
    ("status-md", ("status", "--format", "md")),
    ("status-json", ("status", "--format", "json")),
    ("review", ("review",)),
    ("review-md", ("review", "--format", "md")),
    ("review-json", ("review", "--format", "json")),
    ("review-value", ("review", "--value", "danner-og-uddanner")),
    ("propose", ("propose", "--municipality", "175", "--late")),
    ("decide-accept", ("decide", "eksempel-1/101-koebenhavn#1", "accept")),
    ("decide-merge", ("decide", "eksempel-1/461-odense#2", "accept")),
    (
        "decide-modify",
        (
            "decide",
            "eksempel-1/101-koebenhavn#2",
            "modify",
            "--text",
            "Fiktiv: vi vil en ændret formulering",
            "--reason",
            "Fiktiv begrundelse",
        ),
    ),
    ("decide-note", ("decide", "eksempel-1/101-koebenhavn#3", "note", "--reason", "Noteret")),
    (
        "decide-reject",
        (
            "decide",
            "eksempel-1/751-aarhus#1",
            "eksempel-1/621-kolding#1",
            "reject",
            "--reason",
            "Nej",
        ),
    ),
    ("decide-move", ("decide", "eksempel-1/561-esbjerg#1", "accept")),
    ("decide-usage", ("decide", "eksempel-1/561-esbjerg#1", "maybe")),
    ("status-after-decide", ("status",)),
    ("apply-dry-run", ("apply", "--dry-run")),
    ("apply", ("apply",)),
    ("changelog", ("changelog",)),
    ("changelog-json", ("changelog", "--format", "json")),
    ("changelog-html", ("changelog", "--format", "html")),
    ("release-dry-run", ("release", "2019.2", "--dry-run")),
    ("release", ("release", "2019.2", "--title", "Fiktiv anden udgave")),
    ("verify", ("verify",)),
    ("tags", ("tags", "--recreate")),
    ("changelog-released", ("changelog", "2019.1", "2019.2")),
    ("report", ("report", "eksempel-1")),
    ("report-html", ("report", "eksempel-1", "--format", "html")),
    ("report-docx", ("report", "eksempel-1", "--format", "docx", "--out", "notat.docx")),
    ("site", ("site", "--out", "site")),
    ("codeowners-check", ("codeowners", "--check")),
    ("schema-proposal", ("schema", "proposal")),
    ("schema-changelog", ("schema", "changelog")),
    ("check-pr", ("check-pr", "--base", "HEAD~1", "--actor", "kl-redaktion")),
    ("info-after", ("info",)),
    ("usage-unknown-command", ("frobnicate",)),
    ("usage-no-round", ("status", "nope")),
    ("help", ("--help",)),
    ("help-check", ("check", "--help")),
]


def _files(root: Path, folder: str) -> str:
    """Each file under `folder`: its path and sha256 (a docx: of its document part)."""
    lines = []
    top = root / folder
    for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".docx":
                data = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
            lines.append(f"{path.relative_to(root).as_posix()} {hashlib.sha256(data).hexdigest()}")
    return "\n".join(lines) + "\n"


def _record(root: Path, name: str, args: tuple[str, ...], env: dict[str, str]) -> str:
    result = run_valreg(*args, cwd=root, env=env)
    text = (
        f"$ valreg {' '.join(args)}\n"
        f"exit {result.returncode}\n"
        f"--- stdout\n{result.stdout}"
        f"--- stderr\n{result.stderr}"
    )
    if name == "report-docx":
        text += f"--- files\n{_files(root, 'notat.docx')}"
    elif name == "site":
        text += f"--- files\n{_files(root, 'site')}"
    elif name == "propose":
        written = root / "proposals/eksempel-1/175-roedovre.yaml"
        text += f"--- {written.name}\n{written.read_text(encoding='utf-8')}"
        written.unlink()  # the round goes on without it
    elif name == "apply":
        text += (
            f"--- git show --stat HEAD\n{git(root, 'show', '--stat', '--format=%H%n%B', 'HEAD')}"
        )
    return text.replace(str(root), "<ROOT>")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {
        "SOURCE_DATE_EPOCH": EPOCH,
        "GIT_AUTHOR_DATE": GIT_DATE,
        "GIT_COMMITTER_DATE": GIT_DATE,
        "COLUMNS": "100",
    }
    os.environ.pop("VALREG_FAULT_STEP", None)
    root = tmp_path_factory.mktemp("golden") / "example"
    created = run_valreg("init", str(root), "--example", env=env)
    assert created.returncode == 0, created.stderr
    git(root, "config", "valreg.editor", "kl-redaktion")
    recorded = {}
    for name, args in STEPS:
        if name == "check-pr":
            (root / "proposals/eksempel-1/175-roedovre.yaml").write_text(
                "round: eksempel-1\nmunicipality: 175\nsubmitted: 2019-09-20\n", encoding="utf-8"
            )
            git(root, "add", "--all")
            git(root, "commit", "--quiet", "-m", "Fictional proposal from Rødovre")
        recorded[name] = _record(root, name, args, env)
    return recorded


@pytest.mark.parametrize("name", [name for name, _ in STEPS])
def test_command_output_is_unchanged(outputs: dict[str, str], name: str) -> None:
    golden = GOLDEN / f"{STEPS.index(next(s for s in STEPS if s[0] == name)):02d}-{name}.txt"
    assert_golden(outputs[name], golden)
