"""Writing commands killed at random moments (SIGKILL, no chance to clean up) leave no
temporary file in the work tree, and after recovery the registry is as it was before
the command or as the command leaves it, never in between (#22)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import VALREG, git, run_valreg
from factories import decide_everything, init_example

TRIALS = 12
SEED = int(os.environ.get("VALREG_KILL_SEED", "20261206"))
EPOCH = {"SOURCE_DATE_EPOCH": "1569801600"}  # 2019-09-30, the example round's deadline


def _decided(root: Path) -> None:
    decide_everything(root)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Decisions")


def _applied(root: Path) -> None:
    _decided(root)
    assert run_valreg("apply", cwd=root, env=EPOCH).returncode == 0


def _released(root: Path) -> None:
    _applied(root)
    assert run_valreg("release", "2019.2", cwd=root, env=EPOCH).returncode == 0


#: command → (how to prepare the registry, its arguments)
COMMANDS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "apply": (_decided, ("apply",)),
    "decide": (
        lambda root: None,
        (
            "decide",
            "eksempel-1/461-odense#1",
            "eksempel-1/751-aarhus#1",
            "eksempel-1/101-koebenhavn#3",
            "reject",
            "--reason",
            "Fiktivt: afvist",
            "--editor",
            "kl-redaktion",
        ),
    ),
    "release": (_applied, ("release", "2019.2")),
    "adopt": (
        _released,
        ("adopt", "2019.2", "--adopted-by", "Udvalget (fiktivt)", "--adopted-on", "2019-09-30"),
    ),
    "propose": (lambda root: None, ("propose", "--municipality", "175")),
    "access": (lambda root: None, ("access", "grant", "461", "eksempel-odense")),
    "round": (
        lambda root: None,
        ("round", "open", "2030-1", "--deadline", "2030-03-01", "--base", "2019.1"),
    ),
}

#: command → a file it writes (the fault hook kills it just before renaming that one)
RENAMED = {
    "apply": "danner-og-uddanner.yaml",
    "decide": "decisions.yaml",
    "release": "2019.2.yaml",
    "adopt": "2019.2.adoption.yaml",
    "propose": "175-roedovre.yaml",
    "access": "municipalities.yaml",
    "round": "round.yaml",
}


def _snapshot(root: Path) -> tuple[str, str, str]:
    """HEAD's tree, the tags, and every file of the work tree (what a user would see)."""
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] != ".git":
            files.append(f"{rel.as_posix()} {path.read_bytes().hex()}")
    tags = git(root, "tag", "--list")
    return git(root, "rev-parse", "HEAD^{tree}"), tags, "\n".join(files)


def _temporary_files(root: Path) -> list[str]:
    return [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.tmp")
        if path.relative_to(root).parts[0] != ".git"
    ]


def _wait_for_orphans(group: int) -> None:
    """Only valreg is killed; a git it started runs on to its end, as it would for a user.
    Wait for those (its process group) before looking."""
    for _ in range(500):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    raise AssertionError("a child of the killed valreg is still running after 5 s")


def _template(tmp_path: Path, command: str) -> Path:
    prepare, _ = COMMANDS[command]
    template = init_example(tmp_path / "template", env=EPOCH)
    git(template, "config", "valreg.editor", "kl-redaktion")
    prepare(template)
    return template


def _clone(template: Path, target: Path) -> Path:
    git(template.parent, "clone", "--quiet", str(template), str(target))
    git(target, "config", "valreg.editor", "kl-redaktion")
    return target


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_killed_at_random_moments(command: str, tmp_path: Path) -> None:
    args = COMMANDS[command][1]
    template = _template(tmp_path, command)
    before = _snapshot(template)
    reference = _clone(template, tmp_path / "reference")
    started = time.monotonic()
    finished = run_valreg(*args, cwd=reference, env=EPOCH)
    duration = time.monotonic() - started
    assert finished.returncode == 0, finished.stderr
    after = _snapshot(reference)
    assert after != before

    rng = random.Random(f"{SEED}-{command}")
    for trial in range(TRIALS):
        root = _clone(template, tmp_path / f"trial-{trial}")
        delay = rng.uniform(0, duration * 1.1)
        process = subprocess.Popen(
            [str(VALREG), *args],
            cwd=root,
            env={**os.environ, **EPOCH},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        _wait_for_orphans(process.pid)
        where = f"seed {SEED}, {command} killed after {delay:.3f} s"
        assert _temporary_files(root) == [], where
        recovered = run_valreg("status", "eksempel-1", cwd=root, env=EPOCH)
        assert recovered.returncode == 0, f"{where}: {recovered.stderr}"
        assert _snapshot(root) in (before, after), f"{where}: neither as before nor as after"
        check = run_valreg("check", cwd=root)
        assert check.returncode == 0, f"{where}: {check.stdout}"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_killed_between_writing_and_renaming(command: str, tmp_path: Path) -> None:
    """The moment that left `values/.x.yaml.<random>.tmp` behind (1 run in 60): the
    temporary file is complete and the process dies before renaming it."""
    args = COMMANDS[command][1]
    root = _template(tmp_path, command)
    before = _snapshot(root)
    killed = run_valreg(*args, cwd=root, env={**EPOCH, "VALREG_FAULT_RENAME": RENAMED[command]})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _temporary_files(root) == []
    assert run_valreg("status", "eksempel-1", cwd=root, env=EPOCH).returncode == 0
    assert _snapshot(root) == before
    assert run_valreg("check", cwd=root).returncode == 0
    # the next writing command clears what the dead writer left under .git
    assert run_valreg(*args, cwd=root, env=EPOCH).returncode == 0
    assert list((root / ".git/valreg/tmp").iterdir()) == []


@pytest.mark.parametrize("command", ["apply", "decide", "release", "adopt", "access", "round"])
def test_killed_at_every_step(command: str, tmp_path: Path) -> None:
    """The journal's fault hook at each step in turn; a release (or an adoption) killed
    after its commit and before its tag gets the tag from recovery."""
    args = COMMANDS[command][1]
    template = _template(tmp_path, command)
    before = _snapshot(template)
    reference = _clone(template, tmp_path / "reference")
    assert run_valreg(*args, cwd=reference, env=EPOCH).returncode == 0
    after = _snapshot(reference)
    step = 1
    while True:
        root = _clone(template, tmp_path / f"step-{step}")
        killed = run_valreg(*args, cwd=root, env={**EPOCH, "VALREG_FAULT_STEP": str(step)})
        if killed.returncode == 0:
            break
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert _temporary_files(root) == []
        recovered = run_valreg("status", "eksempel-1", cwd=root, env=EPOCH)
        assert recovered.returncode == 0, recovered.stderr
        assert _snapshot(root) in (before, after), f"{command} killed at step {step}"
        assert run_valreg("check", cwd=root).returncode == 0
        step += 1
    assert step > 3, "the fault hook never fired"
