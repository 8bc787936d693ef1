"""The pre-commit hook other registries use (.pre-commit-hooks.yaml), and this repository's
own local copy of it (.pre-commit-config.yaml), are valid and run the same command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, git
from factories import init_example

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
BROKEN = "round: eksempel-1\nmunicipality: 999\nsubmitted: 2019-09-16\n"


def pre_commit(
    *args: str, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_manifest_and_config_are_valid() -> None:
    manifest = pre_commit("validate-manifest", ".pre-commit-hooks.yaml")
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    config = pre_commit("validate-config", ".pre-commit-config.yaml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_the_local_hook_runs_what_the_published_hook_runs() -> None:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    local = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    [hook] = published
    assert hook["id"] == "valreg-check" and hook["language"] == "python"
    for key in ("entry", "files", "pass_filenames"):
        assert local["valreg-check"][key] == hook[key], key
    assert hook["pass_filenames"] is False


def test_another_registry_runs_the_hook(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs valreg from this checkout into a hook environment
    (from the package index) and runs the hook on the example registry."""
    registry = tmp_path / "example"
    init_example(registry)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    passed = pre_commit("try-repo", str(REPO), "valreg-check", "--all-files", cwd=registry, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "valreg check" in passed.stdout and "Passed" in passed.stdout

    (registry / "proposals/eksempel-1/999-ukendt.yaml").write_text(BROKEN, encoding="utf-8")
    git(registry, "add", "--all")
    failed = pre_commit("try-repo", str(REPO), "valreg-check", "--all-files", cwd=registry, env=env)
    assert failed.returncode == 1
    assert "Failed" in failed.stdout and "P504" in failed.stdout
