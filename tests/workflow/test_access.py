"""`valreg access grant|revoke|list`: the logins that speak for a municipality, edited in
registry/municipalities.yaml byte for byte outside the one entry, one commit each, and
refused (exit 1, nothing written) whenever the change would be wrong (#22)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import git, run_valreg
from factories import init_example

MUNICIPALITIES = "registry/municipalities.yaml"
ODENSE = '- code: "461"\n  name: Odense\n  region: Region Syddanmark\n'
BEFORE_DEADLINE = {"SOURCE_DATE_EPOCH": "1568592000"}  # 2019-09-16


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_example(tmp_path_factory.mktemp("access") / "example")


@pytest.fixture
def example(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "example", symlinks=True))


def access(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_valreg("access", *args, cwd=root)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, result.stderr


def municipalities(root: Path) -> bytes:
    return (root / MUNICIPALITIES).read_bytes()


def commit_file(root: Path, content: bytes, message: str = "municipalities") -> None:
    (root / MUNICIPALITIES).write_bytes(content)
    git(root, "commit", "--quiet", "-am", message)


# --- grant and revoke ---------------------------------------------------------------------


def test_grant_adds_one_line_and_makes_one_commit(example: Path) -> None:
    before = municipalities(example)
    head = git(example, "rev-parse", "HEAD").strip()
    code, out, err = access(example, "grant", "461", "eksempel-odense")
    assert code == 0, err
    assert out.startswith("461 Odense: granted eksempel-odense (commit ")
    expected = before.replace(ODENSE.encode(), (ODENSE + "  logins: [eksempel-odense]\n").encode())
    assert municipalities(example) == expected
    assert git(example, "rev-parse", "HEAD~1").strip() == head
    assert git(example, "show", "--format=%s", "--name-only", "HEAD").split("\n")[:3] == [
        "Grant eksempel-odense access for 461 Odense",
        "",
        MUNICIPALITIES,
    ]
    assert git(example, "status", "--porcelain") == ""
    assert run_valreg("check", cwd=example).returncode == 0


@pytest.mark.parametrize("who", ["461", "0461", "Odense", "odense", " ODENSE "])
def test_a_municipality_by_code_or_name(example: Path, who: str) -> None:
    code, out, err = access(example, "grant", who, "eksempel-odense")
    assert code == 0, err
    assert out.startswith("461 Odense: granted")


def test_revoke_removes_the_login_and_then_the_key(example: Path) -> None:
    before = municipalities(example)
    assert access(example, "grant", "461", "eksempel-odense")[0] == 0
    assert access(example, "grant", "461", "eksempel-odense-2")[0] == 0
    assert ODENSE + "  logins: [eksempel-odense, eksempel-odense-2]\n" in municipalities(
        example
    ).decode("utf-8")
    code, out, err = access(example, "revoke", "Odense", "EKSEMPEL-ODENSE")  # any case
    assert code == 0, err
    assert "revoked eksempel-odense " in out
    assert ODENSE + "  logins: [eksempel-odense-2]\n" in municipalities(example).decode()
    assert access(example, "revoke", "461", "eksempel-odense-2")[0] == 0
    assert municipalities(example) == before
    assert git(example, "log", "--format=%s", "-4").splitlines() == [
        "Revoke eksempel-odense-2's access for 461 Odense",
        "Revoke eksempel-odense's access for 461 Odense",
        "Grant eksempel-odense-2 access for 461 Odense",
        "Grant eksempel-odense access for 461 Odense",
    ]


#: An entry's logins written in every way the reader accepts, with comments around them;
#: (file, grant 'ny' to 461 → file, then revoke 'a' from 461 → file)
FORMS = [
    (  # flow, with a comment and quoting kept
        f'{ODENSE}  logins: ["a", b]   # two of them\n# about Svendborg\n',
        f'{ODENSE}  logins: ["a", b, ny]   # two of them\n# about Svendborg\n',
        f"{ODENSE}  logins: [b, ny]   # two of them\n# about Svendborg\n",
    ),
    (  # block, indented deeper than the file's sequence
        f"{ODENSE}  logins:   # block\n    - a\n    - b\n\n# about Svendborg\n",
        f"{ODENSE}  logins:   # block\n    - a\n    - b\n    - ny\n\n# about Svendborg\n",
        f"{ODENSE}  logins:   # block\n    - b\n    - ny\n\n# about Svendborg\n",
    ),
    (  # no logins yet, comments and a blank line after the entry stay after it
        f"{ODENSE}  # a comment inside\n\n# about Svendborg\n",
        f"{ODENSE}  logins: [ny]\n  # a comment inside\n\n# about Svendborg\n",
        None,
    ),
    (  # an empty list
        f"{ODENSE}  logins: []\n",
        f"{ODENSE}  logins: [ny]\n",
        None,
    ),
]


@pytest.mark.parametrize(("entry", "granted", "revoked"), FORMS)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_only_the_entry_changes_byte_for_byte(
    example: Path, entry: str, granted: str, revoked: str | None, newline: str
) -> None:
    """The rest of the file, comments, quoting, a BOM and CRLF line ends included, stays
    exactly as it was."""
    text = municipalities(example).decode("utf-8")
    assert text.count(ODENSE) == 1
    svendborg = '- code: "479"\n'

    def whole(part: str) -> bytes:
        edited = text.replace(ODENSE + svendborg, part + svendborg)
        return ("\ufeff" + edited.replace("\n", newline)).encode("utf-8")

    commit_file(example, whole(entry))
    code, _, err = access(example, "grant", "461", "ny")
    assert code == 0, err
    assert municipalities(example) == whole(granted)
    if revoked is not None:
        code, _, err = access(example, "revoke", "461", "a")
        assert code == 0, err
        assert municipalities(example) == whole(revoked)
    assert run_valreg("check", cwd=example).returncode == 0


def test_a_login_that_looks_like_a_number_is_quoted(example: Path) -> None:
    assert access(example, "grant", "461", "1234")[0] == 0
    assert access(example, "grant", "461", "yes")[0] == 0
    assert ODENSE + '  logins: ["1234", "yes"]\n' in municipalities(example).decode()
    assert run_valreg("check", cwd=example).returncode == 0


def test_other_staged_work_stays_out_of_the_commit(example: Path) -> None:
    (example / "notes.txt").write_text("mine\n", encoding="utf-8")
    git(example, "add", "notes.txt")
    assert access(example, "grant", "461", "eksempel-odense")[0] == 0
    assert git(example, "show", "--format=", "--name-only", "HEAD").split() == [MUNICIPALITIES]
    assert git(example, "status", "--porcelain") == "A  notes.txt\n"


def test_codeowners_does_not_change(example: Path) -> None:
    """CODEOWNERS names only the editors, so access leaves it alone (and it stays current)."""
    before = (example / ".github/CODEOWNERS").read_bytes()
    assert access(example, "grant", "461", "eksempel-odense")[0] == 0
    assert (example / ".github/CODEOWNERS").read_bytes() == before
    assert "eksempel-odense" not in before.decode()
    assert run_valreg("codeowners", "--check", cwd=example).returncode == 0
    help_text = run_valreg("access", "grant", "--help").stdout
    assert "CODEOWNERS does not change" in help_text


def test_a_failing_commit_hook_leaves_nothing(example: Path) -> None:
    hook = example / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = municipalities(example)
    head = git(example, "rev-parse", "HEAD")
    code, _, err = access(example, "grant", "461", "eksempel-odense")
    assert code == 1
    assert "no commits today" in err and "nothing was changed" in err
    assert municipalities(example) == before
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""
    assert not (example / ".git/valreg/journal.json").exists()


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grant", "999", "x"), "no municipality has code 999 in registry/municipalities.yaml"),
        (("grant", "Odnese", "x"), "no municipality is named 'Odnese'; did you mean Odense (461)?"),
        (("grant", "Atlantis", "x"), "no municipality is named 'Atlantis'; give a code or"),
        (("grant", "461", "odense_boern"), "'odense_boern' is not a GitHub login"),
        (("grant", "461", "--", "-odense"), "'-odense' is not a GitHub login"),
        (("grant", "461", "odense-"), "'odense-' is not a GitHub login"),
        (("grant", "461", "odense--boern"), "'odense--boern' is not a GitHub login"),
        (("grant", "461", "x" * 40), "is not a GitHub login"),
        (("grant", "461", "od\x1b[2Jense"), "'od\\u001b[2Jense' is not a GitHub login"),
        (("grant", "461", "kl-redaktion"), "'kl-redaktion' is an editor of this registry"),
        (("grant", "461", "KL-Redaktion"), "is an editor of this registry"),
        (
            ("grant", "101", "eksempel-koebenhavn"),
            "'eksempel-koebenhavn' already speaks for 101 København\n",
        ),
        (
            ("grant", "461", "eksempel-aarhus"),
            "'eksempel-aarhus' already speaks for 751 Aarhus, and a login speaks for one "
            "municipality; revoke it there first: valreg access revoke 751 eksempel-aarhus",
        ),
        (
            ("revoke", "101", "eksempel-koebenhavm"),
            "'eksempel-koebenhavm' is not granted for 101 København; did you mean "
            "eksempel-koebenhavn? its logins: eksempel-koebenhavn",
        ),
        (("revoke", "461", "eksempel-aarhus"), "is not granted for 461 Odense"),
    ],
)
def test_refused_with_one_line_and_nothing_written(
    example: Path, args: tuple[str, ...], message: str
) -> None:
    before = municipalities(example)
    head = git(example, "rev-parse", "HEAD")
    code, out, err = access(example, *args)
    assert code == 1, out
    assert err.startswith("valreg: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert municipalities(example) == before
    assert git(example, "rev-parse", "HEAD") == head
    assert git(example, "status", "--porcelain") == ""


def test_an_ambiguous_name_asks_for_the_code(example: Path) -> None:
    text = municipalities(example).decode("utf-8")
    commit_file(
        example, (text + '- code: "998"\n  name: Århus\n  region: Region Midtjylland\n').encode()
    )
    code, _, err = access(example, "grant", "aarhus", "x")
    assert code == 1
    assert "'aarhus' names 2 municipalities (751 Aarhus, 998 Århus); give the code" in err
    assert access(example, "grant", "Århus", "x")[0] == 1
    assert access(example, "grant", "998", "x")[0] == 0


def test_uncommitted_edits_of_the_file_are_refused(example: Path) -> None:
    edited = municipalities(example) + b"# my note\n"
    (example / MUNICIPALITIES).write_bytes(edited)
    code, _, err = access(example, "grant", "461", "eksempel-odense")
    assert code == 1
    assert "registry/municipalities.yaml has uncommitted changes" in err
    assert municipalities(example) == edited


def test_an_invalid_municipalities_file_is_refused(example: Path) -> None:
    commit_file(example, municipalities(example) + b"- code: abc\n")
    code, _, err = access(example, "grant", "461", "eksempel-odense")
    assert code == 1
    assert err.startswith("valreg: error: registry/municipalities.yaml:")
    assert "fix it first (valreg check)" in err


# --- list ----------------------------------------------------------------------------------


def test_list_in_every_format(example: Path) -> None:
    assert access(example, "grant", "461", "eksempel-odense")[0] == 0
    code, text, _ = access(example, "list")
    assert code == 0
    assert text == (
        "101 København  eksempel-koebenhavn\n"
        "461 Odense     eksempel-odense\n"
        "751 Aarhus     eksempel-aarhus\n"
    )
    rows = list(csv.reader(io.StringIO(access(example, "list", "--format", "csv")[1])))
    assert rows[0] == ["code", "name", "region", "login"]
    assert rows[2] == ["461", "Odense", "Region Syddanmark", "eksempel-odense"]
    listed = json.loads(access(example, "list", "--format", "json")[1])
    assert listed["municipalities"][1] == {
        "code": "461",
        "name": "Odense",
        "region": "Region Syddanmark",
        "logins": ["eksempel-odense"],
    }


def test_list_with_no_logins(tmp_path: Path) -> None:
    root = tmp_path / "new"
    assert run_valreg("init", str(root)).returncode == 0
    code, out, _ = access(root, "list")
    assert code == 0 and out.startswith("no municipality has logins; grant one with")
    assert access(root, "list", "--format", "csv")[1] == "code,name,region,login\n"
    code, _, err = access(root, "grant", "461", "x")
    assert code == 1 and "lists no municipalities" in err


def test_a_usage_error_shows_the_actions(example: Path) -> None:
    result = run_valreg("access", cwd=example)
    assert result.returncode == 2
    assert "grant" in result.stderr and "revoke" in result.stderr and "list" in result.stderr


# --- the example, with check-pr --------------------------------------------------------------


def test_check_pr_can_be_tried_with_the_examples_fictional_logins(example: Path) -> None:
    """The example grants FICTIONAL logins; check-pr accepts their own proposal files,
    and refuses them once access is revoked."""
    _, listing, _ = access(example, "list")
    assert "eksempel-aarhus" in listing and "eksempel-koebenhavn" in listing
    git(example, "checkout", "--quiet", "-b", "forslag")
    (example / "proposals/eksempel-1/751-aarhus-2.yaml").write_text(
        "round: eksempel-1\nmunicipality: 751\nsubmitted: 2019-09-16\n", encoding="utf-8"
    )
    git(example, "add", "--all")
    git(example, "commit", "--quiet", "-m", "Fictional proposal from Aarhus")
    args = ("check-pr", "--base", "main", "--actor", "eksempel-aarhus")
    accepted = run_valreg(*args, cwd=example, env=BEFORE_DEADLINE)
    assert accepted.returncode == 0, accepted.stdout
    assert "(municipality 751 Aarhus)" in accepted.stdout
    git(example, "checkout", "--quiet", "main")
    assert access(example, "revoke", "751", "eksempel-aarhus")[0] == 0
    git(example, "checkout", "--quiet", "forslag")
    git(example, "rebase", "--quiet", "main")
    refused = run_valreg(*args, cwd=example, env=BEFORE_DEADLINE)
    assert refused.returncode == 1
    assert "is neither an editor nor listed under a municipality" in refused.stdout
