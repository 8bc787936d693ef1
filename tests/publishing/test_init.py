"""`valreg init`: a new registry that `valreg check` accepts, created atomically."""

from __future__ import annotations

from pathlib import Path

from conftest import git, run_valreg
from factories import init_example


def test_init_creates_a_checked_committed_registry(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run_valreg("init", str(target), "--name", "Værdier for X", "--owner", "X")
    assert result.returncode == 0, result.stderr
    assert "created a registry" in result.stdout
    assert git(target, "status", "--porcelain") == ""
    assert git(target, "log", "--format=%s") == "Create the registry 'Værdier for X'\n"
    tracked = git(target, "ls-files").split()
    assert "registry/registry.yaml" in tracked
    assert "registry/schema/proposal.schema.json" in tracked
    check = run_valreg("check", cwd=target)
    assert check.returncode == 0, check.stdout
    assert "no problems" in check.stdout
    assert "Værdier for X (X)" in run_valreg("info", cwd=target).stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_valreg("init", str(tmp_path))
    assert result.returncode == 2
    assert "not an empty folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_init_without_git_identity_leaves_nothing(tmp_path: Path) -> None:
    empty_config = tmp_path / "gitconfig"
    empty_config.write_text("", encoding="utf-8")
    env = {
        "GIT_CONFIG_GLOBAL": str(empty_config),
        "EMAIL": "",
        "GIT_AUTHOR_NAME": "",
        "GIT_COMMITTER_NAME": "",
    }
    target = tmp_path / "new"
    result = run_valreg("init", str(target), env=env)
    assert result.returncode == 1, result
    assert "user.name" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gitconfig"]


def test_init_example_is_a_marked_fictional_round_on_the_real_draft(tmp_path: Path) -> None:
    from conftest import REPO

    target = tmp_path / "example"
    init_example(target)
    assert git(target, "log", "--format=%s").splitlines() == [
        "Fictional consultation round eksempel-1 with proposals and logins",
        "Fictional editorial edit of value data-og-viden after release 2019.1",
        "KL's first draft, release 2019.1 (real data)",
    ]
    # The draft is the real registry's, byte for byte, as committed in the first stage.
    for value in (REPO / "values").glob("*.yaml"):
        first = git(target, "show", f"HEAD~2:values/{value.name}")
        assert first == value.read_text(encoding="utf-8")
    assert (target / "registry/releases/2019.1.yaml").read_bytes() == (
        REPO / "registry/releases/2019.1.yaml"
    ).read_bytes()
    assert git(target, "rev-parse", "values/2019.1^{commit}") == git(target, "rev-parse", "HEAD~2")
    assert run_valreg("verify", cwd=target).stdout == "2019.1: ok (tag values/2019.1)\n"
    proposals = sorted((target / "proposals/eksempel-1").glob("*.yaml"))
    assert len(proposals) >= 8
    for path in [*proposals, target / "registry/rounds/eksempel-1/round.yaml"]:
        assert "FICTIONAL" in path.read_text(encoding="utf-8")
    check = run_valreg("check", cwd=target)
    assert check.returncode == 0, check.stdout
    assert check.stdout.splitlines()[0].endswith(
        "warning P508 submitted 2019-10-03, after the "
        "deadline 2019-09-30; the editors will see it "
        "as late"
    )
