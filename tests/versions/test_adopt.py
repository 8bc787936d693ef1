"""`valreg adopt`: a draft release adopted later, recorded in a file of its own with a tag
of its own; its refusals; `check`'s rules on adoption files; verify and tags --recreate."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from conftest import VALID_REGISTRY, git, run_valreg
from factories import ADOPTION, ADOPTION_EPOCH, adopt, build_draft, state
from valreg.registry.check import check_registry

ADOPTION_FILE = "registry/releases/2019.2.adoption.yaml"
TOMORROW = {"SOURCE_DATE_EPOCH": ADOPTION_EPOCH}


@pytest.fixture(scope="module")
def draft_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example round decided, applied and released as the draft 2019.2 (built once)."""
    return build_draft(tmp_path_factory.mktemp("template") / "example")


@pytest.fixture
def draft(draft_template: tuple[Path, str], tmp_path: Path) -> Path:
    """A private copy of the draft-released example registry (the whole repository)."""
    return Path(shutil.copytree(draft_template[0], tmp_path / "example", symlinks=True))


def tags(root: Path) -> str:
    return git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags")


def test_release_without_status_says_it_made_a_draft_and_how_to_adopt(
    draft_template: tuple[Path, str],
) -> None:
    said = draft_template[1]
    assert "made the draft release 2019.2: committed " in said
    assert (
        "when it is adopted, record that with: valreg adopt 2019.2 --adopted-by BODY "
        "--adopted-on YYYY-MM-DD [--minutes URL]\n"
    ) in said


def test_an_adopted_release_says_so(draft: Path) -> None:
    result = run_valreg(
        "release",
        "2019.3",
        "--status",
        "adopted",
        *ADOPTION[:4],
        "--dry-run",
        cwd=draft,
        env=TOMORROW,
    )
    assert result.returncode == 0, result.stderr
    assert "dry run: would make the adopted release 2019.3: write " in result.stdout
    assert "valreg adopt" not in result.stdout


def test_adopt_writes_only_the_new_file_in_one_commit_with_its_own_tag(draft: Path) -> None:
    manifest = (draft / "registry/releases/2019.2.yaml").read_bytes()
    release_tag = git(draft, "rev-parse", "refs/tags/values/2019.2")
    head = git(draft, "rev-parse", "HEAD").strip()
    result = run_valreg("adopt", "2019.2", *ADOPTION, cwd=draft, env=TOMORROW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Udgave 2019.2 vedtaget af KL's Børne- og Undervisningsudvalg (fiktivt) den "
        "20. november 2019.\nReferat: https://example.invalid/referat-2019-11-20\n"
    )
    assert "made the tag values/2019.2-adopted" in result.stdout
    # one commit on top, adding the one file; the manifest and its tag are untouched
    assert git(draft, "rev-parse", "HEAD~1").strip() == head
    changed = git(draft, "show", "--name-status", "--format=", "HEAD")
    assert changed == f"A\t{ADOPTION_FILE}\n"
    assert (draft / "registry/releases/2019.2.yaml").read_bytes() == manifest
    assert git(draft, "rev-parse", "refs/tags/values/2019.2") == release_tag
    assert git(draft, "cat-file", "-t", "values/2019.2-adopted") == "tag\n"
    assert git(draft, "rev-parse", "values/2019.2-adopted^{commit}") == git(
        draft, "rev-parse", "HEAD"
    )
    text = (draft / ADOPTION_FILE).read_text(encoding="utf-8")
    assert 'version: "2019.2"\nadopted_by:\n' in text
    assert "  date: 2019-11-20\n" in text
    assert git(draft, "status", "--porcelain") == ""
    assert run_valreg("check", cwd=draft).returncode == 0
    verified = run_valreg("verify", cwd=draft)
    assert verified.returncode == 0, verified.stdout
    assert verified.stdout.splitlines()[-1] == (
        "2019.2: ok (tag values/2019.2), adopted by KL's Børne- og Undervisningsudvalg "
        "(fiktivt) on 2019-11-20 (tag values/2019.2-adopted)"
    )


def _adopted(root: Path) -> None:
    adopt(root)


def _dirty(root: Path) -> None:
    value = root / "values/danner-og-uddanner.yaml"
    value.write_text(value.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")


def _locked(root: Path) -> None:
    lock = root / ".git/valreg/lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(f"{os.getpid()} {socket.gethostname()}\n", encoding="utf-8")


def _adopted_in_manifest(root: Path) -> None:
    result = run_valreg(
        "release", "2019.3", "--status", "adopted", *ADOPTION, cwd=root, env=TOMORROW
    )
    assert result.returncode == 0, result.stderr


def _tag_taken(root: Path) -> None:
    git(root, "tag", "-a", "-m", "made by hand", "values/2019.2-adopted")


@pytest.mark.parametrize(
    ("prepare", "args", "message"),
    [
        (
            None,
            ("2019.3",),
            "there is no release 2019.3; drafts that can be adopted: 2019.1, 2019.2",
        ),
        (None, ("2019.x",), "there is no release 2019.x"),
        (_adopted, ("2019.2",), f"release 2019.2 is adopted already: {ADOPTION_FILE} records it"),
        (
            _adopted_in_manifest,
            ("2019.3",),
            "release 2019.3 is adopted already: its manifest records the adoption by",
        ),
        (
            None,
            ("2019.2", "--adopted-on", "2019-11-16"),
            "--adopted-on 2019-11-16 is before release 2019.2 was made (2019-11-17)",
        ),
        (
            None,
            ("2019.2", "--adopted-on", "2019-11-22"),
            "--adopted-on 2019-11-22 is in the future (today is 2019-11-21)",
        ),
        (_dirty, ("2019.2",), "the work tree has uncommitted changes (values/danner-og-uddanner"),
        (_locked, ("2019.2",), "another valreg command"),
        (_tag_taken, ("2019.2",), "tag values/2019.2-adopted already exists"),
    ],
    ids=[
        "unknown",
        "not-a-version",
        "adopted",
        "adopted-in-manifest",
        "before",
        "future",
        "dirty",
        "locked",
        "tag-taken",
    ],
)
def test_adopt_refusals(draft: Path, prepare: object, args: tuple[str, ...], message: str) -> None:
    if callable(prepare):
        prepare(draft)
    before, before_tags = state(draft), tags(draft)
    options = dict(zip(ADOPTION[::2], ADOPTION[1::2], strict=True))
    given = dict(zip(args[1::2], args[2::2], strict=True))
    extra = [part for key, value in {**options, **given}.items() for part in (key, value)]
    result = run_valreg("adopt", args[0], *extra, cwd=draft, env=TOMORROW)
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert state(draft) == before
    assert tags(draft) == before_tags


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--adopted-on", "20.11.2019"), "--adopted-on 20.11.2019: write YYYY-MM-DD"),
        (("--adopted-by", " "), "the adoption would not be valid: S205"),
        (("--minutes", "javascript:alert(1)"), "the adoption would not be valid: S206"),
    ],
)
def test_adopt_usage_errors(draft: Path, args: tuple[str, ...], message: str) -> None:
    before, before_tags = state(draft), tags(draft)
    options = {**dict(zip(ADOPTION[::2], ADOPTION[1::2], strict=True)), args[0]: args[1]}
    extra = [part for key, value in options.items() for part in (key, value)]
    result = run_valreg("adopt", "2019.2", *extra, cwd=draft, env=TOMORROW)
    assert result.returncode == 2, result
    assert message in result.stderr
    assert state(draft) == before
    assert tags(draft) == before_tags


def test_verify_and_recreate_the_adoption_tag(draft: Path) -> None:
    adopt(draft)
    git(draft, "tag", "-d", "values/2019.2-adopted")
    missing = run_valreg("verify", "2019.2", cwd=draft)
    assert missing.returncode == 1
    assert "tag values/2019.2-adopted is missing" in missing.stdout
    recreated = run_valreg("tags", "--recreate", cwd=draft)
    assert recreated.stdout == "created values/2019.2-adopted\n"
    assert run_valreg("verify", cwd=draft).returncode == 0
    message = git(draft, "tag", "-l", "--format=%(contents)", "values/2019.2-adopted")
    assert message.startswith("Udgave 2019.2 vedtaget af KL's Børne- og Undervisningsudvalg")

    adoption = draft / ADOPTION_FILE
    adoption.write_text(
        adoption.read_text(encoding="utf-8").replace("2019-11-20", "2019-11-19"), "utf-8"
    )
    git(draft, "commit", "--quiet", "-am", "Edited by hand")
    changed = run_valreg("verify", "2019.2", cwd=draft)
    assert changed.returncode == 1
    assert f"{ADOPTION_FILE} was changed after the adoption was recorded" in changed.stdout

    git(draft, "rm", "--quiet", ADOPTION_FILE)
    git(draft, "commit", "--quiet", "-m", "Removed by hand")
    gone = run_valreg("verify", "2019.2", cwd=draft)
    assert gone.returncode == 1
    assert f"tag values/2019.2-adopted records an adoption, but {ADOPTION_FILE} is gone" in (
        gone.stdout
    )


# --- check: the adoption file's own rules (R713, R714, R716: tests/data/invalid/adoption-*) ---

ADOPTED_2019_1 = "\n".join(
    [
        'version: "2019.1"',
        "adopted_by:",
        "  body: Udvalget (fiktivt)",
        "  date: 2019-04-01",
        "",
    ]
)


@pytest.mark.parametrize(
    ("name", "text", "code", "line"),
    [
        ("2019.1", ADOPTED_2019_1, None, 0),
        ("2019.1", ADOPTED_2019_1 + "status: adopted\n", "S202", 5),
    ],
)
def test_check_an_adoption_file(
    tmp_path: Path, name: str, text: str, code: str | None, line: int
) -> None:
    root = Path(shutil.copytree(VALID_REGISTRY, tmp_path / "registry"))
    (root / f"registry/releases/{name}.adoption.yaml").write_text(text, encoding="utf-8")
    found = [(d.path, d.code, d.line) for d in check_registry(root).diagnostics]
    wanted = [(f"registry/releases/{name}.adoption.yaml", code, line)] if code else []
    assert found == wanted


def test_check_an_adoption_file_of_an_adopted_manifest(tmp_path: Path) -> None:
    """R715: the manifest says adopted already; the adoption file is the one in error."""
    root = Path(shutil.copytree(VALID_REGISTRY, tmp_path / "registry"))
    manifest = root / "registry/releases/2019.1.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "status: draft\n", "status: adopted\nadopted_by:\n  body: X\n  date: 2019-04-01\n"
        ),
        encoding="utf-8",
    )
    (root / "registry/releases/2019.1.adoption.yaml").write_text(ADOPTED_2019_1, "utf-8")
    found = [(d.path, d.code, d.line) for d in check_registry(root).diagnostics]
    assert found == [("registry/releases/2019.1.adoption.yaml", "R715", 2)]
    # `check --since` with a cache made before the file came finds the same
    git(root, "init", "--quiet")
    (root / "registry/releases/2019.1.adoption.yaml").unlink()
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "adopted in the manifest")
    assert check_registry(root, use_cache=True).diagnostics == ()
    (root / "registry/releases/2019.1.adoption.yaml").write_text(ADOPTED_2019_1, "utf-8")
    since = check_registry(root, since="HEAD", use_cache=True)
    assert [(d.path, d.code) for d in since.diagnostics] == [
        ("registry/releases/2019.1.adoption.yaml", "R715")
    ]
