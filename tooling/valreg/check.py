"""The `check` command: load a registry, run every rule, keep what the caller asked about."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from valreg.checks import check_snapshot
from valreg.diagnostics import (
    CheckResult,
    Diagnostic,
    Severity,
    make,
    sort_diagnostics,
    text_line,
)
from valreg.errors import InvalidRegistry, UsageError
from valreg.snapshot import MUNICIPALITIES_FILE, REGISTRY_FILE, Snapshot, load_snapshot
from valreg.transaction import pending_journal


def check_registry(
    root: Path, paths: Sequence[Path] = (), *, use_cache: bool = False
) -> CheckResult:
    """Check the registry at `root`; with `paths`, report on them and what they refer to.

    With `use_cache`, unchanged files are not parsed again (see `valreg.cache`).
    """
    snapshot = load_snapshot(root, use_cache=use_cache)
    diagnostics = _check_all(root, snapshot)
    every_path = set(snapshot.files) | {d.path for d in snapshot.problems}
    if paths:
        selected = _select(root, paths, every_path)
        wanted = selected | _referenced(snapshot, selected)
        diagnostics = [d for d in diagnostics if d.path in wanted]
        files = len(selected)
    else:
        files = len(every_path)
    return CheckResult(sort_diagnostics(diagnostics), files)


def _check_all(root: Path, snapshot: Snapshot) -> list[Diagnostic]:
    """Every rule, and whether an interrupted command is waiting to be finished."""
    diagnostics = check_snapshot(snapshot)
    journal = pending_journal(root)
    if journal is not None:
        diagnostics.append(
            make(
                REGISTRY_FILE,
                1,
                1,
                "F304",
                f"an interrupted apply left {journal}; run `valreg status` (or any writing "
                "command) to finish or roll it back",
                da=f"en afbrudt apply har efterladt {journal}; kør `valreg status` (eller en "
                "anden kommando, der skriver) for at gøre den færdig eller rulle den tilbage",
            )
        )
    return diagnostics


#: How many errors a refusal lists before it says how many more there are.
_SHOWN_ERRORS = 10


def load_valid_snapshot(root: Path, purpose: str) -> Snapshot:
    """The registry's snapshot, or InvalidRegistry if `valreg check` finds errors in it."""
    snapshot = load_snapshot(root, use_cache=True)
    errors = [d for d in _check_all(root, snapshot) if d.severity is Severity.ERROR]
    if errors:
        shown = [f"  {text_line(d)}" for d in sort_diagnostics(errors)[:_SHOWN_ERRORS]]
        more = len(errors) - len(shown)
        raise InvalidRegistry(
            "\n".join(
                [
                    f"the registry has {len(errors)} error(s); run `valreg check` and fix them "
                    f"before {purpose}:",
                    *shown,
                    *([f"  … and {more} more"] if more > 0 else []),
                ]
            )
        )
    return snapshot


def _select(root: Path, paths: Sequence[Path], every_path: set[str]) -> set[str]:
    root = root.resolve()
    selected: set[str] = set()
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"{given}: no such file or directory")
        absolute = given.parent.resolve() / given.name if given.is_symlink() else given.resolve()
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{given} is outside the registry at {root}") from None
        if relative == ".":
            return set(every_path)
        prefix = relative + "/"
        selected |= {p for p in every_path if p == relative or p.startswith(prefix)}
    return selected


def _referenced(snapshot: Snapshot, selected: set[str]) -> set[str]:
    """The files that the selected files depend on, whose problems matter to them."""
    refs = {REGISTRY_FILE}
    for path in selected:
        parsed = snapshot.files.get(path)
        if parsed is None:
            continue
        if parsed.kind in ("proposal", "decisions"):
            folder = path.split("/")[-2]
            refs.add(f"registry/rounds/{folder}/round.yaml")
        if parsed.kind == "proposal" and parsed.model is not None:
            refs.add(MUNICIPALITIES_FILE)
            base = parsed.model.base
            if base is not None:
                refs.add(f"registry/releases/{base}.yaml")
            for change in parsed.model.changes:
                for name in ("value", "after"):
                    value_id = getattr(change, name, None)
                    if value_id is not None:
                        refs.add(f"values/{value_id}.yaml")
                refs.update(f"values/{v}.yaml" for v in getattr(change, "values", ()))
    return refs
