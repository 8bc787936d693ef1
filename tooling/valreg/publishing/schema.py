"""JSON Schema (2020-12) of every file kind, and of the documents valreg writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from valreg.atomic import write_atomic
from valreg.registry.models import FILE_KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Where each kind's files live, for the schema's description.
_WHERE = {
    "registry": "registry/registry.yaml",
    "municipalities": "registry/municipalities.yaml",
    "round": "registry/rounds/<round>/round.yaml",
    "decisions": "registry/rounds/<round>/decisions.yaml",
    "release": "registry/releases/<version>.yaml",
    "adoption": "registry/releases/<version>.adoption.yaml",
    "value": "values/<id>.yaml",
    "proposal": "proposals/<round>/<code>-<name>.yaml",
    "changelog": "valreg changelog --format json",
}
#: Every kind `valreg schema` exports: the file kinds, then the documents valreg writes.
SCHEMA_KINDS = (*FILE_KINDS, "changelog")


def _exported_type(kind: str) -> Any:
    if kind in FILE_KINDS:
        return FILE_KINDS[kind]
    from valreg.publishing.changelog import ChangelogDocument

    return ChangelogDocument


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind: a file as people write it, or a document valreg writes."""
    from pydantic import TypeAdapter

    body = TypeAdapter(_exported_type(kind)).json_schema(mode="validation")
    what = "file" if kind in FILE_KINDS else "document"
    return {
        "$schema": DIALECT,
        "$id": f"{kind}.schema.json",
        **body,
        "title": f"valreg {kind} {what} ({_WHERE[kind]})",
    }


def render_schema(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def write_schemas(folder: Path, kinds: list[str] | None = None) -> list[Path]:
    """Write `<kind>.schema.json` for each kind into `folder`; returns the paths written."""
    written = []
    for kind in kinds or list(SCHEMA_KINDS):
        target = folder / schema_file_name(kind)
        write_atomic(target, render_schema(kind))
        written.append(target)
    return written
