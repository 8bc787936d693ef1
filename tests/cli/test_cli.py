"""The real console script: formats, exit codes, and that `check` writes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import DATA, VALREG, git, run_valreg
from factories import BROKEN_PROPOSAL

LATE_PROPOSAL = "round: 2019-9\nmunicipality: 147\nsubmitted: 2019-10-02\n"


def _state(root: Path) -> str:
    """A fingerprint of the work tree, the index and every ref (not the cache in .git)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        inside_git = path.relative_to(root).parts[:2]
        if path.is_file() and inside_git not in {(".git", "objects"), (".git", "valreg")}:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_help_and_version() -> None:
    result = run_valreg("--help")
    assert result.returncode == 0
    for command in (
        "check",
        "schema",
        "init",
        "info",
        "status",
        "propose",
        "review",
        "decide",
        "apply",
        "release",
        "verify",
        "tags",
        "check-pr",
        "changelog",
        "codeowners",
    ):
        assert command in result.stdout
    assert run_valreg("--version").stdout.startswith("valreg ")
    assert run_valreg("check", "--help").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["check", "--bogus"],
        ["check", "--format", "xml"],
        ["check", "--root", "/nonexistent"],
        ["schema"],
        ["schema", "nonsense"],
    ],
)
def test_usage_errors_exit_2(args: list[str], registry: Path) -> None:
    result = run_valreg(*args, cwd=registry)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("valreg: error:")


def test_path_outside_the_registry_is_a_usage_error(registry: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    result = run_valreg("check", str(outside), cwd=registry)
    assert result.returncode == 2
    assert "outside the registry" in result.stderr
    missing = run_valreg("check", "values/nope.yaml", cwd=registry)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_no_registry_found(tmp_path: Path) -> None:
    result = run_valreg("check", cwd=tmp_path)
    assert result.returncode == 2
    assert "valreg init" in result.stderr


def test_clean_registry_text(registry: Path) -> None:
    result = run_valreg("check", cwd=registry / "values")
    assert result.returncode == 0, result.stdout
    assert result.stdout.endswith("files checked, no problems\n")
    assert result.stderr == ""


def test_a_hostile_file_name_stays_on_its_line(registry: Path) -> None:
    """A newline or a bidi control in a file name cannot make a line of its own or turn
    the text around in the text output: it is shown escaped."""
    (registry / "values" / "ny\nfalsk.yaml:1:1: ok").write_text("x", encoding="utf-8")
    (registry / "values" / "vend\u202eom.yaml").write_text("x", encoding="utf-8")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "values/ny\\nfalsk.yaml:1:1: ok:1:1: error F301 " in result.stdout
    assert "values/vend\\u202eom.yaml:1:1: error S208 " in result.stdout
    assert "\u202e" not in result.stdout
    assert not any(line.startswith("falsk.yaml") for line in lines)
    assert len(lines) == 3  # two diagnostics and the summary


def test_errors_in_every_format(registry: Path) -> None:
    (registry / "proposals/2019-9/147-frederiksberg.yaml").write_text(
        BROKEN_PROPOSAL, encoding="utf-8"
    )
    before = _state(registry)

    text = run_valreg("check", cwd=registry)
    assert text.returncode == 1
    first = text.stdout.splitlines()[0]
    assert first.startswith(
        "proposals/2019-9/147-frederiksberg.yaml:7:12: error P506 value "
        "'dannelse' does not exist; values in 2019.1: "
    )
    assert text.stdout.splitlines()[-1].startswith("1 error, 0 warnings in ")

    payload = json.loads(run_valreg("check", "--format", "json", cwd=registry).stdout)
    assert payload["version"] == 1
    assert payload["summary"]["errors"] == 1
    assert payload["diagnostics"] == [
        {
            "path": "proposals/2019-9/147-frederiksberg.yaml",
            "line": 7,
            "column": 12,
            "code": "P506",
            "severity": "error",
            "message": payload["diagnostics"][0]["message"],
        }
    ]

    github = run_valreg("check", "--format", "github", cwd=registry)
    assert github.returncode == 1
    assert github.stdout.startswith(
        "::error file=proposals/2019-9/147-frederiksberg.yaml,line=7,col=12,title=P506::value "
    )
    assert "1 error" in github.stderr

    sarif = json.loads(run_valreg("check", "--format", "sarif", cwd=registry).stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "valreg"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    (finding,) = run["results"]
    assert finding["ruleId"] == "P506" == rule_ids[finding["ruleIndex"]]
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (7, 12)
    assert _state(registry) == before, "check wrote something"
    assert git(registry, "status", "--porcelain") == "?? proposals/2019-9/147-frederiksberg.yaml\n"


def test_warnings_exit_0_unless_strict(registry: Path) -> None:
    (registry / "proposals/2019-9/147-frederiksberg.yaml").write_text(
        LATE_PROPOSAL, encoding="utf-8"
    )
    relaxed = run_valreg("check", cwd=registry)
    assert relaxed.returncode == 0
    assert "warning P508" in relaxed.stdout
    assert run_valreg("check", "--strict", cwd=registry).returncode == 1


def test_paths_select_what_is_reported(registry: Path) -> None:
    (registry / "proposals/2019-9/147-frederiksberg.yaml").write_text(
        BROKEN_PROPOSAL, encoding="utf-8"
    )
    only_values = run_valreg("check", "values", cwd=registry)
    assert only_values.returncode == 0
    assert only_values.stdout == "11 files checked, no problems\n"
    one = run_valreg("check", "proposals/2019-9/147-frederiksberg.yaml", cwd=registry)
    assert one.returncode == 1
    assert "P506" in one.stdout


def test_a_broken_file_the_selection_refers_to_is_reported(registry: Path) -> None:
    (registry / "values/danner-og-uddanner.yaml").write_text("id: [\n", encoding="utf-8")
    result = run_valreg("check", "proposals/2019-9/461-odense.yaml", cwd=registry)
    assert result.returncode == 1
    assert "values/danner-og-uddanner.yaml:2:1: error Y101" in result.stdout


def test_symlink_and_fifo_are_refused_not_followed(registry: Path) -> None:
    (registry / "proposals/2019-9/147-frederiksberg.yaml").symlink_to(
        registry / "values/danner-og-uddanner.yaml"
    )
    os.mkfifo(registry / "values/pipe.yaml")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 1
    assert "proposals/2019-9/147-frederiksberg.yaml:1:1: error F303 symbolic links" in result.stdout
    assert "values/pipe.yaml:1:1: error F303 not a regular file" in result.stdout


def test_python_dash_m_runs_the_same_cli(registry: Path) -> None:
    result = subprocess.run(
        [str(VALREG.parent / "python"), "-m", "valreg", "check"],
        cwd=registry,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "no problems" in result.stdout


def test_ctrl_c_exits_130_without_traceback(registry: Path) -> None:
    # Enough files that the check is still running when the signal arrives.
    values = registry / "values"
    for n in range(12, 30_000):
        (values / f"v{n}.yaml").write_text(
            f"id: v{n}\nnumber: {n}\ntext: Tekst {n}\n", encoding="utf-8"
        )
    process = subprocess.Popen(
        [str(VALREG), "check"],
        cwd=registry,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr


def test_a_file_name_that_is_not_utf8(registry: Path) -> None:
    bad = os.path.join(os.fsencode(registry / "values"), b"v\xff.yaml")
    with open(bad, "wb") as handle:
        handle.write(b"id: v\nnumber: 12\ntext: x\n")
    result = run_valreg("check", cwd=registry)
    assert result.returncode == 1
    assert "error F301 file name is not valid UTF-8" in result.stdout
    assert "Traceback" not in result.stderr


def test_output_in_a_latin1_terminal(registry: Path) -> None:
    (registry / "values/danner-og-uddanner.yaml").write_text("id: ő—€\n", encoding="utf-8")
    result = subprocess.run(
        [str(VALREG), "check"],
        cwd=registry,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"},
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr


def test_sarif_validates_against_the_sarif_2_1_0_schema(registry: Path) -> None:
    import jsonschema

    schema = json.loads((DATA / "schemas/sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    clean = json.loads(run_valreg("check", "--format", "sarif", cwd=registry).stdout)
    assert list(validator.iter_errors(clean)) == []
    (registry / "proposals/2019-9/147-frederiksberg.yaml").write_text(
        BROKEN_PROPOSAL, encoding="utf-8"
    )
    (registry / "values/danner-og-uddanner.yaml").write_text("id: [\n", encoding="utf-8")
    broken = json.loads(run_valreg("check", "--format", "sarif", cwd=registry).stdout)
    assert len(broken["runs"][0]["results"]) >= 2
    assert list(validator.iter_errors(broken)) == []
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken)), "the schema check can fail"


def test_an_unwritable_target_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_valreg("schema", "--write", str(blocker / "schemas"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"valreg: error: {blocker}")


def test_a_closed_pipe_is_not_an_error(registry: Path) -> None:
    result = subprocess.run(
        # `true` exits before valreg writes, so valreg's stdout is a closed pipe.
        f"'{VALREG}' schema proposal | true; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=registry,
        check=False,
    )
    assert result.stdout.strip() == "0"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (("decide", "eksempel-1/461-odense#1", "accept", "--frobnicate"), "decide"),
        (("check", "--bogus"), "check"),
        (("status", "--format", "md", "--extra"), "status"),
    ],
)
def test_an_unknown_argument_shows_the_commands_own_usage(
    tmp_path: Path, args: tuple[str, ...], command: str
) -> None:
    result = run_valreg(*args, cwd=tmp_path)
    assert result.returncode == 2
    first, usage, *_ = result.stderr.splitlines()
    assert first.startswith(f"valreg: error: valreg {command}: unrecognized arguments: ")
    assert usage.startswith(f"usage: valreg {command} ")
    assert "Traceback" not in result.stderr
