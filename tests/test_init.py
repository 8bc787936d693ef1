"""`valreg init`: a new registry that `valreg check` accepts, created atomically."""

from __future__ import annotations

from pathlib import Path

from conftest import git, run_valreg


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
