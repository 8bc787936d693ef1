"""What the benchmark scripts that build their own registries share: fictional value texts
(each marked "fiktiv værdi", never a real one) and a quiet git."""

from __future__ import annotations

import subprocess
from pathlib import Path

SUBJECTS = ("børn", "unge", "forældre", "pædagoger", "lærere", "fællesskaber", "lokalmiljøet")
VERBS = ("styrker", "inddrager", "udfordrer", "støtter", "samarbejder med", "løfter")
GOALS = ("læring og trivsel", "dannelse", "sundhed", "overgange", "faglighed", "tryghed")


def value_text(i: int, edit: str = "") -> str:
    """The text of fictional value `i`, with `edit` put in when it is amended."""
    subject, verb = SUBJECTS[i % len(SUBJECTS)], VERBS[(i // 7) % len(VERBS)]
    goal = GOALS[(i // 42) % len(GOALS)]
    return (
        f"Vi vil dagtilbud og folkeskoler, der {verb} {subject} med fokus på {goal} "
        f"i hverdagen{edit} (fiktiv værdi {i})"
    )


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
