"""Releases, tags and verify on real repositories: a full cycle, refusals and tampering."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, git, run_valreg
from factories import ADOPTED, decide, decide_everything, init_example, open_second_round, state


@pytest.fixture(scope="module")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example round decided, applied and released as 2019.2 (built once)."""
    root = tmp_path_factory.mktemp("template") / "example"
    init_example(root)
    decide_everything(root)
    assert run_valreg("apply", cwd=root).returncode == 0
    result = run_valreg(
        "release", "2019.2", *ADOPTED, cwd=root, env={"SOURCE_DATE_EPOCH": "1574000000"}
    )
    assert result.returncode == 0, result.stderr
    assert run_valreg("tags", "--recreate", cwd=root).returncode == 0
    return root


@pytest.fixture
def released(released_template: Path, tmp_path: Path) -> Path:
    """A private copy of the released example registry (a copy of the whole repository)."""
    return Path(shutil.copytree(released_template, tmp_path / "example", symlinks=True))


def verify(root: Path, *versions: str) -> subprocess.CompletedProcess[str]:
    return run_valreg("verify", *versions, cwd=root)


def test_release_writes_manifest_stamps_retired_and_tags(released: Path) -> None:
    manifest = (released / "registry/releases/2019.2.yaml").read_text(encoding="utf-8")
    assert 'version: "2019.2"' in manifest
    assert 'previous: "2019.1"' in manifest
    assert "date: 2019-11-17" in manifest
    assert "rounds:\n  - eksempel-1\n" in manifest
    assert "body: KL's Børne- og Undervisningsudvalg (fiktivt)" in manifest
    for retired in ("lokalmiljoeet", "forskning-af-hoej-kvalitet"):
        text = (released / f"values/{retired}.yaml").read_text(encoding="utf-8")
        assert 'retired_in: "2019.2"' in text
    assert git(released, "cat-file", "-t", "values/2019.2") == "tag\n"
    message = git(released, "tag", "-l", "--format=%(contents)", "values/2019.2")
    assert message.startswith("Udgave 2019.2: 10 værdier\nI forhold til 2019.1:\n")
    assert "- udgået: 1 (forskning-af-hoej-kvalitet)\n" in message
    assert "- sammenlagt: 1 (lokalmiljoeet lagt sammen med samarbejde-med-foraeldre)\n" in message
    assert git(released, "status", "--porcelain") == ""
    assert run_valreg("check", cwd=released).returncode == 0
    result = verify(released)
    assert result.returncode == 0, result.stdout
    assert result.stdout == (
        "2019.1: ok (tag values/2019.1)\n2019.2: ok (tag values/2019.2), adopted by KL's Børne- "
        "og Undervisningsudvalg (fiktivt) on 2019-11-20\n"
    )


def test_a_second_round_and_release(released: Path) -> None:
    open_second_round(
        released,
        "461-odense.yaml",
        "# FICTIONAL\nround: eksempel-2\nmunicipality: 461\nsubmitted: 2020-02-01\nchanges:\n"
        '  - id: "1"\n    kind: amend\n    value: staerk-faglig-ledelse\n'
        "    text: Vi vil dagtilbud og folkeskoler med en stærk ledelse (fiktivt)\n",
    )
    git(released, "add", "--all")
    git(released, "commit", "--quiet", "-m", "Fictional second round")
    result = run_valreg(
        "decide", "eksempel-2/461-odense#1", "accept", "--editor", "kl-redaktion", cwd=released
    )
    assert result.returncode == 0, result.stderr
    assert run_valreg("apply", cwd=released).returncode == 0
    third = run_valreg("release", "2019.3", cwd=released)
    assert third.returncode == 0, third.stderr
    manifest = (released / "registry/releases/2019.3.yaml").read_text(encoding="utf-8")
    assert "rounds:\n  - eksempel-2\n" in manifest
    assert "status: draft" in manifest
    assert verify(released).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["2019.2"], 1, "must be greater than the last release 2019.2"),
        (["2019.1"], 1, "must be greater"),
        (["2019.02"], 2, "is not YYYY.N"),
        (["2020"], 2, "is not YYYY.N"),
        (["2020.1", "--status", "adopted"], 2, "needs --adopted-by"),
        (["2020.1", "--adopted-by", "x"], 2, "belong to adopted releases"),
    ],
)
def test_release_refusals(released: Path, args: list[str], code: int, message: str) -> None:
    before = state(released)
    result = run_valreg("release", *args, cwd=released)
    assert result.returncode == code, result
    assert message in result.stderr
    assert state(released) == before


def test_release_refuses_dirty_tree_existing_tag_and_unapplied_changes(released: Path) -> None:
    value = released / "values/danner-og-uddanner.yaml"
    value.write_text(value.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    dirty = run_valreg("release", "2020.1", cwd=released)
    assert dirty.returncode == 1
    assert "uncommitted changes" in dirty.stderr
    git(released, "checkout", "--", ".")
    git(released, "tag", "-a", "-m", "made by hand", "values/2020.1")
    before = state(released)
    taken = run_valreg("release", "2020.1", cwd=released)
    assert taken.returncode == 1
    assert "tag values/2020.1 already exists" in taken.stderr
    assert state(released) == before


def test_unapplied_accepted_changes_block_a_release(tmp_path: Path) -> None:
    root = tmp_path / "example"
    init_example(root)
    decide(root, "accept", "461-odense#1")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "decided")
    before = state(root)
    result = run_valreg("release", "2019.2", cwd=root)
    assert result.returncode == 1
    assert "not applied yet: eksempel-1/461-odense#1" in result.stderr
    assert state(root) == before


def test_verify_finds_a_moved_tag(released: Path) -> None:
    git(released, "tag", "-f", "-a", "-m", "moved", "values/2019.2", "HEAD~1")
    result = verify(released, "2019.2")
    assert result.returncode == 1
    assert "the tag was moved" in result.stdout


def test_verify_finds_a_deleted_and_a_lightweight_tag(released: Path) -> None:
    commit = git(released, "rev-parse", "values/2019.2^{commit}").strip()
    git(released, "tag", "-d", "values/2019.2")
    assert "tag values/2019.2 is missing" in verify(released).stdout
    git(released, "tag", "values/2019.2", commit)
    result = verify(released)
    assert result.returncode == 1
    assert "lightweight tag" in result.stdout


def test_verify_finds_a_tampered_manifest(released: Path) -> None:
    manifest = released / "registry/releases/2019.2.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("number: 10", "number: 11"), encoding="utf-8"
    )
    git(released, "commit", "--quiet", "-am", "tamper")
    result = verify(released, "2019.2")
    assert result.returncode == 1
    assert "was changed after the release" in result.stdout


def test_verify_finds_a_value_edited_in_the_tagged_tree(released: Path) -> None:
    value = released / "values/danner-og-uddanner.yaml"
    value.write_text(
        value.read_text(encoding="utf-8").replace("udvikler", "opdrager"), encoding="utf-8"
    )
    git(released, "commit", "--quiet", "-a", "--amend", "--no-edit")
    git(released, "tag", "-d", "values/2019.2")
    git(released, "tag", "-a", "-m", "retagged", "values/2019.2")
    result = verify(released, "2019.2")
    assert result.returncode == 1
    assert "does not match the values in commit" in result.stdout
    assert "danner-og-uddanner" in result.stdout


def test_recreate_never_moves_a_tag(released: Path) -> None:
    git(released, "tag", "-f", "-a", "-m", "moved", "values/2019.2", "HEAD~1")
    moved = git(released, "rev-parse", "values/2019.2")
    result = run_valreg("tags", "--recreate", cwd=released)
    assert result.stdout == "every release has its tag\n"
    assert git(released, "rev-parse", "values/2019.2") == moved


def test_signed_tag_with_a_throwaway_ssh_key(tmp_path: Path) -> None:
    root = tmp_path / "example"
    init_example(root)
    key = tmp_path / "key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "editor", "-f", str(key)], check=True
    )
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(
        f"editor@example.invalid {key.with_suffix('.pub').read_text()}", encoding="utf-8"
    )
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(key))
    git(root, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    result = run_valreg("release", "2019.2", "--sign", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "made the signed tag values/2019.2" in result.stdout
    verified = verify(root, "2019.2")
    assert verified.returncode == 0, verified.stdout
    assert verified.stdout == ("2019.2: ok (tag values/2019.2, signed by editor@example.invalid)\n")
    allowed.write_text("", encoding="utf-8")
    assert "does not verify" in verify(root, "2019.2").stdout


def test_the_real_release_verifies_after_recreating_tags(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(REPO), str(clone))
    assert "tag values/2019.1 is missing" in verify(clone).stdout
    assert run_valreg("tags", "--recreate", cwd=clone).stdout == "created values/2019.1\n"
    result = verify(clone)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "2019.1: ok (tag values/2019.1)\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--title", "  "],
        [
            "--status",
            "adopted",
            "--adopted-by",
            "x",
            "--adopted-on",
            "2019-11-01",
            "--minutes",
            "www.example.org/referat",
        ],
    ],
)
def test_a_release_that_would_write_an_invalid_manifest_is_refused(
    released: Path, args: list[str]
) -> None:
    before = state(released)
    result = run_valreg("release", "2020.1", *args, cwd=released)
    assert result.returncode == 2, result
    assert "the release manifest would not be valid" in result.stderr
    assert state(released) == before


def test_the_tag_message_counts_as_the_changelog_does(released: Path) -> None:
    """Each count of the release's tag message equals the changelog's section of it (a
    merge was once counted as a retirement and an amended text as well)."""
    message = git(released, "tag", "-l", "--format=%(contents)", "values/2019.2")
    counts = dict(re.findall(r"^- (.+?): ([0-9]+)", message, re.MULTILINE))
    changelog = run_valreg("changelog", "2019.1", "2019.2", "--format", "json", cwd=released)
    summary = json.loads(changelog.stdout)["summary"]
    assert {label: int(n) for label, n in counts.items()} == {
        "nye": summary["added"],
        "udgået": summary["retired"],
        "ændret tekst": summary["amended"],
        "sammenlagt": summary["merged"],
        "nyt nummer": summary["renumbered"],
    }
