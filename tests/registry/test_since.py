"""`check --since` and the cache never change what a full check finds, and parallel
checking finds exactly what serial checking does.

The main test edits a real registry (made by benchmarks/generate.py) at random, with a
fixed seed, and after each round of edits compares a full check without a cache against
a full check with it, and `--since` (with and without a cache) against the full check
narrowed to the changed files and their dependants.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, VALID_REGISTRY, git, run_valreg
from factories import CASES, init_example, install_case
from valreg.registry.cache import INDEX_FILE, ParseCache, entry_key
from valreg.registry.check import check_files, check_registry
from valreg.registry.facts import dependants, facts_of
from valreg.registry.models import change_digest
from valreg.registry.snapshot import load_snapshot, read_worktree


def _generate() -> Any:
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = tmp_path / "generated"
    _generate()(root, 40, 150, releases=2, rounds=2, seed=7)
    return root


def _changed(root: Path, ref: str) -> tuple[set[str], set[str]]:
    """The registry paths changed since `ref`, and those of them only edited (M)."""
    status = [
        line.split("\t", 1)
        for line in git(root, "diff", "--name-status", "--no-renames", ref, "--").splitlines()
    ]
    untracked = git(root, "ls-files", "--others", "--exclude-standard").splitlines()
    prefixes = ("registry/", "values/", "proposals/")
    changed = {p for p in [*(path for _, path in status), *untracked] if p.startswith(prefixes)}
    return changed, {path for letter, path in status if letter == "M" and path in changed}


def _scope(root: Path, changed: set[str], edited: set[str]) -> set[str]:
    snapshot = load_snapshot(root)
    facts = {path: facts_of(parsed) for path, parsed in snapshot.files.items()}
    return changed | dependants(facts, changed, edited=edited)


def _found_at(root: Path, ref: str, tmp_path: Path) -> set[tuple[str, str, int, int]]:
    """What a full check finds in commit `ref` (checked out beside the repository)."""
    checkout = tmp_path / "at-ref"
    git(root, "worktree", "add", "--quiet", "--detach", str(checkout), ref)
    try:
        found = check_registry(checkout).diagnostics
    finally:
        git(root, "worktree", "remove", "--force", str(checkout))
    return {(d.path, d.code, d.line, d.col) for d in found}


# --- random edits --------------------------------------------------------------------


def _pick(rng: random.Random, root: Path, pattern: str) -> Path | None:
    files = sorted(root.glob(pattern))
    return rng.choice(files) if files else None


def _replace(path: Path | None, old: str, new: str) -> None:
    if path is not None and path.exists():
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _renumber(rng: random.Random, root: Path) -> None:
    value, other = _pick(rng, root, "values/*.yaml"), _pick(rng, root, "values/*.yaml")
    if value and other:
        number = next(
            (line for line in other.read_text("utf-8").splitlines() if line.startswith("number:")),
            "number: 1",
        )
        text = value.read_text("utf-8").splitlines()
        value.write_text(
            "\n".join(number if line.startswith("number:") else line for line in text) + "\n",
            encoding="utf-8",
        )


def _delete(pattern: str) -> Any:
    def edit(rng: random.Random, root: Path) -> None:
        path = _pick(rng, root, pattern)
        if path is not None:
            path.unlink()

    return edit


def _add_value(rng: random.Random, root: Path) -> None:
    n = rng.randint(1, 60)
    (root / f"values/ny-{n}.yaml").write_text(
        f"id: ny-{n}\nnumber: {n}\ntext: En ny fiktiv værdi {n}\n", encoding="utf-8"
    )


def _break_yaml(rng: random.Random, root: Path) -> None:
    path = _pick(rng, root, rng.choice(["values/*.yaml", "proposals/*/*.yaml"]))
    if path is not None:
        path.write_text("id: x\n\ttext: tab\n", encoding="utf-8")


def _edit_change(rng: random.Random, root: Path) -> None:
    _replace(_pick(rng, root, "proposals/*/*.yaml"), "(fiktivt forslag)", "(rettet forslag)")


def _edit_decided(rng: random.Random, root: Path) -> None:
    """Edit a proposal that a decision names: the decision is stale now (D602)."""
    named = sorted(
        line.split("change:", 1)[1].strip().split("#")[0]
        for decisions in root.glob("registry/rounds/*/decisions.yaml")
        for line in decisions.read_text("utf-8").splitlines()
        if "change:" in line
    )
    if named:
        _replace(root / f"proposals/{rng.choice(named)}.yaml", "text: ", "text: Rettet: ")


def _unknown_value(rng: random.Random, root: Path) -> None:
    _replace(_pick(rng, root, "proposals/*/*.yaml"), "value: vaerdi-", "value: findes-ikke-")


def _late(rng: random.Random, root: Path) -> None:
    path = _pick(rng, root, "registry/rounds/*/round.yaml")
    if path is not None:
        text = path.read_text("utf-8").splitlines()
        path.write_text(
            "\n".join("deadline: 2020-01-10" if t.startswith("deadline:") else t for t in text)
            + "\n",
            encoding="utf-8",
        )


def _drop_municipality(rng: random.Random, root: Path) -> None:
    path = root / "registry/municipalities.yaml"
    text = path.read_text("utf-8")
    code = rng.choice(["101", "147", "461", "751", "851"])
    start = text.find(f'- code: "{code}"')
    if start >= 0:
        end = text.find("- code:", start + 1)
        path.write_text(text[:start] + (text[end:] if end >= 0 else ""), encoding="utf-8")


def _wrong_decision(rng: random.Random, root: Path) -> None:
    _replace(_pick(rng, root, "registry/rounds/*/decisions.yaml"), "#1", "#99")


def _unknown_file(rng: random.Random, root: Path) -> None:
    (root / rng.choice(["values", "proposals"]) / "noter.txt").write_text("x", encoding="utf-8")


def _editors(rng: random.Random, root: Path) -> None:
    _replace(root / "registry/registry.yaml", "kl-redaktion", "ny-redaktion")


def _previous(rng: random.Random, root: Path) -> None:
    _replace(root / "registry/releases/2019.2.yaml", 'previous: "2019.1"', "previous: null")


def _merge(rng: random.Random, root: Path) -> None:
    _replace(
        _pick(rng, root, "values/*.yaml"),
        "text:",
        "status: retired\nmerged_into: vaerdi-999\ntext:",
    )


EDITS = (
    _renumber,
    _delete("values/*.yaml"),
    _delete("proposals/*/*.yaml"),
    _delete("registry/rounds/*/round.yaml"),
    _delete("registry/releases/*.yaml"),
    _add_value,
    _break_yaml,
    _edit_change,
    _edit_decided,
    _unknown_value,
    _late,
    _drop_municipality,
    _wrong_decision,
    _unknown_file,
    _editors,
    _previous,
    _merge,
)


def test_since_and_cache_agree_with_a_full_check(generated: Path, tmp_path: Path) -> None:
    root = generated
    rng = random.Random(2026)
    assert check_registry(root).diagnostics == ()
    assert check_registry(root, use_cache=True).diagnostics == ()  # fills the cache
    commits = 1
    codes: set[str] = set()
    for _ in range(24):
        for edit in rng.sample(EDITS, rng.randint(1, 3)):
            edit(rng, root)
        if rng.random() < 0.4:
            git(root, "add", "--all")
            git(root, "commit", "--quiet", "--no-verify", "-m", "edits")
            commits += 1
        full = check_registry(root)
        codes |= {d.code for d in full.diagnostics}
        # A full check with the cache makes the work tree the cache's base; without one,
        # the base stays behind (commits and edits since) and `--since` must catch up.
        if rng.random() < 0.6:
            assert check_registry(root, use_cache=True) == full
        refs = ["HEAD", "HEAD~1"] if commits > 1 else ["HEAD"]
        for ref in refs:
            changed, edited = _changed(root, ref)
            since = check_registry(root, since=ref)
            assert check_registry(root, since=ref, use_cache=True) == since
            scope = _scope(root, changed, edited)
            assert since.diagnostics == tuple(d for d in full.diagnostics if d.path in scope)
            # Nothing a full check finds on a changed file is missed.
            assert {d for d in full.diagnostics if d.path in changed} <= set(since.diagnostics)
        # Every problem the changes since HEAD~1 brought is reported, wherever it is (the
        # dependants are sound): what a full check finds now and did not find there.
        if commits > 1:
            brought = {(d.path, d.code, d.line, d.col) for d in full.diagnostics} - _found_at(
                root, "HEAD~1", tmp_path
            )
            reported = {
                (d.path, d.code, d.line, d.col)
                for d in check_registry(root, since="HEAD~1").diagnostics
            }
            assert brought <= reported
    # The edits made the rules speak: numbering, references, staleness, files, syntax …
    assert len(codes) >= 10, codes


def test_since_reports_every_problem_an_edit_brings(generated: Path) -> None:
    """The dependants are sound: each kind of edit, on its own, and whatever it breaks
    elsewhere is reported by `--since`, with and without a cache."""
    root = generated
    clean = {(d.path, d.code, d.line, d.col) for d in check_registry(root).diagnostics}
    elsewhere = []
    for number, edit in enumerate(EDITS):
        assert check_registry(root, use_cache=True).diagnostics == ()  # the cache's base
        edit(random.Random(number), root)
        changed, _ = _changed(root, "HEAD")
        brought = {
            (d.path, d.code, d.line, d.col) for d in check_registry(root).diagnostics
        } - clean
        for use_cache in (False, True):
            since = check_registry(root, since="HEAD", use_cache=use_cache)
            assert brought <= {(d.path, d.code, d.line, d.col) for d in since.diagnostics}, edit
        elsewhere += [edit.__name__ for path, *_ in brought if path not in changed]
        git(root, "checkout", "--quiet", "--", ".")
        git(root, "clean", "--quiet", "-d", "--force")
    # The edits broke files they did not touch, so the dependants were put to the test.
    assert len(set(elsewhere)) >= 5, elsewhere


def _codes(result: Any) -> set[tuple[str, str]]:
    return {(d.path, d.code) for d in result.diagnostics}


@pytest.mark.parametrize("use_cache", [False, True])
def test_since_reports_on_the_files_a_change_affects(registry: Path, use_cache: bool) -> None:
    check_registry(registry, use_cache=use_cache)
    # A value takes another's number: both values are reported, though one is unchanged.
    value = registry / "values/data-og-viden.yaml"
    number = next(
        line
        for line in (registry / "values/danner-og-uddanner.yaml").read_text("utf-8").splitlines()
        if line.startswith("number:")
    )
    text = value.read_text("utf-8").splitlines()
    value.write_text(
        "\n".join(number if t.startswith("number:") else t for t in text) + "\n", "utf-8"
    )
    found = _codes(check_registry(registry, since="HEAD", use_cache=use_cache))
    assert ("values/data-og-viden.yaml", "V402") in found
    assert ("values/danner-og-uddanner.yaml", "V402") in found
    git(registry, "checkout", "--", ".")
    # A deleted value: the proposals that name it are reported.
    (registry / "values/danner-og-uddanner.yaml").unlink()
    found = _codes(check_registry(registry, since="HEAD", use_cache=use_cache))
    assert ("proposals/2019-9/461-odense.yaml", "P506") in found
    git(registry, "checkout", "--", ".")
    # A decided change edited: the decisions file is reported (stale decision).
    _replace(registry / "proposals/2019-9/461-odense.yaml", "text: ", "text: Rettet, ")
    found = _codes(check_registry(registry, since="HEAD", use_cache=use_cache))
    assert ("registry/rounds/2019-9/decisions.yaml", "D602") in found


def test_since_on_the_command_line(registry: Path) -> None:
    (registry / "values/noter.txt").write_text("x", encoding="utf-8")
    result = run_valreg("check", "--since", "HEAD", cwd=registry)
    assert result.returncode == 1
    assert "values/noter.txt:1:1: error F301" in result.stdout
    assert "1 file checked" in result.stdout
    bad = run_valreg("check", "--since", "--output=x", cwd=registry)
    assert bad.returncode == 2
    both = run_valreg("check", "values", "--since", "HEAD", cwd=registry)
    assert both.returncode == 2


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(registry: Path) -> None:
    """The index trusts a file's stat only when it is safely older than the last scan;
    and an edit that restores the old mtime still changes the ctime."""
    value = registry / "values/danner-og-uddanner.yaml"
    old = os.stat(value)
    os.utime(value, ns=(old.st_atime_ns - 10**10, old.st_mtime_ns - 10**10))
    assert check_registry(registry, use_cache=True).diagnostics == ()
    assert check_registry(registry, use_cache=True).diagnostics == ()
    before = os.stat(value)
    text = value.read_text("utf-8")
    value.write_text(text.replace("number: 1", "number: 9"), encoding="utf-8")
    os.utime(value, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(value).st_size == before.st_size
    found = _codes(check_registry(registry, use_cache=True))
    assert ("values/danner-og-uddanner.yaml", "V402") in found


@pytest.mark.parametrize("expected", CASES[::4], ids=[c.stem for c in CASES[::4]])
def test_parallel_finds_what_serial_finds(expected: Path, tmp_path: Path) -> None:
    root, _ = install_case(expected, tmp_path)
    blobs, _ = read_worktree(root)
    serial = check_files(dict(blobs), parallel=False, keep=True)
    parallel = check_files(dict(blobs), parallel=True, keep=True)
    assert sorted(parallel[1]) == sorted(serial[1])
    assert parallel[0] == serial[0]
    assert parallel[2].keys() == serial[2].keys()
    # Read by the processes that check them (as check without a cache does): the same.
    for mode in (False, True):
        deferred = check_files(dict.fromkeys(blobs), root=root, parallel=mode)
        assert sorted(deferred[1]) == sorted(serial[1])
        assert deferred[0] == serial[0]


def test_parallel_on_a_generated_registry(generated: Path) -> None:
    _break_yaml(random.Random(1), generated)
    _renumber(random.Random(2), generated)
    blobs, _ = read_worktree(generated)
    serial = check_files(dict(blobs), parallel=False)
    parallel = check_files(dict(blobs), parallel=True)
    assert serial[1] and sorted(parallel[1]) == sorted(serial[1])
    assert parallel[0] == serial[0]


def test_the_change_digest_is_the_json_dump_of_the_model(tmp_path: Path) -> None:
    """models.change_digest dumps a change's fields directly; it must equal pydantic's
    JSON dump, which is what decisions recorded before."""
    import hashlib
    import json
    import unicodedata

    root = tmp_path / "example"
    init_example(root)
    changes = [
        change
        for snapshot in (load_snapshot(root), load_snapshot(VALID_REGISTRY))
        for parsed in snapshot.valid("proposal")
        for change in parsed.model.changes
    ]
    assert {change.kind for change in changes} >= {"amend", "add", "remove", "merge", "move"}
    for change in changes:
        data = change.model_dump(mode="json", exclude_none=True)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        expected = hashlib.sha256(unicodedata.normalize("NFC", canonical).encode()).hexdigest()
        assert change_digest(change) == expected


# --- --since with a cache: only what git names is read ----------------------------------


def _base(root: Path) -> Any:
    cache = ParseCache(root / ".git")
    try:
        return cache.base(), cache.facts_of(["values/data-og-viden.yaml"])
    finally:
        cache.close()


def _take_number(root: Path, value: str, other: str) -> None:
    number = next(
        line
        for line in (root / other).read_text("utf-8").splitlines()
        if line.startswith("number:")
    )
    text = (root / value).read_text("utf-8").splitlines()
    (root / value).write_text(
        "\n".join(number if t.startswith("number:") else t for t in text) + "\n", "utf-8"
    )


def test_since_with_a_cache_reads_only_what_git_names(registry: Path) -> None:
    """After a full check, `--since` takes the changed files from git and the rest from
    the cache: the index of the whole work tree is not even looked at."""
    assert run_valreg("check", cwd=registry).returncode == 0  # the clone's first: no cache
    assert run_valreg("check", cwd=registry).returncode == 0  # fills it
    index = registry / ".git" / INDEX_FILE
    scanned = index.stat().st_mtime_ns
    base, _ = _base(registry)
    assert base is not None and base.commit == git(registry, "rev-parse", "HEAD").strip()
    assert base.dirty == frozenset()
    _take_number(registry, "values/data-og-viden.yaml", "values/danner-og-uddanner.yaml")
    since = run_valreg("check", "--since", "HEAD", cwd=registry)
    assert since.returncode == 1
    assert "values/data-og-viden.yaml:2:9: error V402" in since.stdout
    assert "values/danner-og-uddanner.yaml:2:9: error V402" in since.stdout
    assert since.stdout == run_valreg("check", "--since", "HEAD", "--no-cache", cwd=registry).stdout
    assert index.stat().st_mtime_ns == scanned
    base, rows = _base(registry)
    data = (registry / "values/data-og-viden.yaml").read_bytes()
    assert rows["values/data-og-viden.yaml"][0] == entry_key("values/data-og-viden.yaml", data)
    assert base.dirty == {"values/data-og-viden.yaml"}
    # Put back as in the commit: the row follows, though git now sees no change.
    git(registry, "checkout", "--", ".")
    assert run_valreg("check", "--since", "HEAD", cwd=registry).returncode == 0
    _, rows = _base(registry)
    data = (registry / "values/data-og-viden.yaml").read_bytes()
    assert rows["values/data-og-viden.yaml"][0] == entry_key("values/data-og-viden.yaml", data)
    assert index.stat().st_mtime_ns == scanned


def test_since_when_the_cache_base_commit_is_gone(registry: Path) -> None:
    assert run_valreg("check", cwd=registry).returncode == 0
    old = git(registry, "rev-parse", "HEAD").strip()
    _take_number(registry, "values/data-og-viden.yaml", "values/danner-og-uddanner.yaml")
    git(registry, "commit", "--quiet", "--amend", "-am", "amended")
    git(registry, "reflog", "expire", "--expire=now", "--all")
    git(registry, "gc", "--quiet", "--prune=now")
    gone = subprocess.run(["git", "-C", str(registry), "cat-file", "-e", old], check=False)
    assert gone.returncode != 0
    _replace(registry / "values/lokalmiljoeet.yaml", "text: ", "text: Rettet: ")
    since = run_valreg("check", "--since", "HEAD", cwd=registry)
    assert "values/danner-og-uddanner.yaml:2:9: error V402" in since.stdout
    assert since.stdout == run_valreg("check", "--since", "HEAD", "--no-cache", cwd=registry).stdout
    # The fallback made a new base.
    base, _ = _base(registry)
    assert base is not None and base.commit == git(registry, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("before", [True, False], ids=["before-the-base", "after-the-base"])
def test_since_sees_files_git_ignores(registry: Path, before: bool) -> None:
    """A full check reads every file in the registry folders, ignored or not; so does
    `--since` with a cache, for its facts."""
    (registry / ".gitignore").write_text("values/skjult.yaml\n", encoding="utf-8")
    git(registry, "add", ".gitignore")
    git(registry, "commit", "--quiet", "-m", "ignore")
    hidden = registry / "values/skjult.yaml"
    content = "id: skjult\nnumber: 1\ntext: En skjult fiktiv værdi\n"
    if before:
        hidden.write_text(content, encoding="utf-8")
    assert run_valreg("check", cwd=registry).returncode == (1 if before else 0)
    if not before:
        hidden.write_text(content, encoding="utf-8")
    _replace(registry / "values/lokalmiljoeet.yaml", "text: ", "text: Rettet: ")
    since = run_valreg("check", "--since", "HEAD", cwd=registry)
    assert "values/danner-og-uddanner.yaml:2:9: error V402" in since.stdout
    assert since.stdout == run_valreg("check", "--since", "HEAD", "--no-cache", cwd=registry).stdout


def test_since_with_hostile_file_names(registry: Path) -> None:
    """Names that are not UTF-8, hold a newline or are links: `--since`, with a cache
    and without, reports them as a full check does, with no traceback."""
    assert run_valreg("check", cwd=registry).returncode == 0  # the cache's base
    (registry / "values" / os.fsdecode(b"bad\xff.yaml")).write_text("id: x\n", encoding="utf-8")
    (registry / "values" / "ny\nlinje.yaml").write_text("id: y\n", encoding="utf-8")
    (registry / "values" / "sub").mkdir()
    (registry / "values" / "sub" / "link").symlink_to("../danner-og-uddanner.yaml")
    full = json.loads(run_valreg("check", "--format", "json", cwd=registry).stdout)
    codes = {(d["path"], d["code"]) for d in full["diagnostics"]}
    assert {("values/bad\ufffd.yaml", "F301"), ("values/sub/link", "F303")} <= codes
    for extra in ([], ["--no-cache"]):
        since = run_valreg("check", "--since", "HEAD", "--format", "json", *extra, cwd=registry)
        assert since.returncode == 1, since.stderr
        assert "Traceback" not in since.stderr
        # Every problem is on a new file, so --since reports them all.
        assert json.loads(since.stdout)["diagnostics"] == full["diagnostics"]


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_gone_before_it_is_read_is_reported_not_parsed(
    registry: Path, parallel: bool
) -> None:
    """Read by the process that checks it, a file that vanished since the scan is F303
    (as one the scan could not read), with no facts, and the rest is checked as ever."""
    blobs, _ = read_worktree(registry)
    files: dict[str, bytes | None] = dict.fromkeys(blobs)
    files["values/gone-meanwhile.yaml"] = None
    facts, found, _ = check_files(files, root=registry, parallel=parallel)
    assert "values/gone-meanwhile.yaml" not in facts and set(blobs) <= set(facts)
    (gone,) = [d for d in found if d.path == "values/gone-meanwhile.yaml"]
    assert gone.code == "F303" and "cannot be read" in gone.message
