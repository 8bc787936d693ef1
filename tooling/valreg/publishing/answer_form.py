"""The answer form of a round that is not closed (`runder/<round>/svar.html`): the data
the page's script builds a høringssvar from, as JSON embedded in the page.

The script (templates/site/svar.js) writes the same file `valreg propose` names, and
checks it against `schema` before it offers it: the JSON Schema that `valreg schema
proposal` exports, shipped beside the site as `schema/proposal.schema.json`. Nothing here
is sent anywhere; the page has no server.
"""

from __future__ import annotations

from typing import Any

from valreg.danish import danish_date, danish_key
from valreg.publishing.schema import json_schema
from valreg.registry import models
from valreg.registry.snapshot import Snapshot
from valreg.workflow.propose import listed_values

#: Where the form of a round is, from the site's root.
ANSWER_PAGE = "runder/{round}/svar.html"
#: The schema the form checks against, from the site's root.
SCHEMA_FILE = "schema/proposal.schema.json"


def answer_page(round_id: str) -> str:
    return ANSWER_PAGE.format(round=round_id)


def form_data(snapshot: Snapshot, round_: models.Round) -> dict[str, Any]:
    """What the form needs: the round, the base release's active values with their
    current text, the municipalities with the file name each would send, where a pull
    request goes, and the schema."""
    registry = snapshot.registry
    municipalities = sorted(snapshot.municipalities.values(), key=lambda m: danish_key(m.name))
    repository = registry.repository if registry is not None else None
    contact = registry.contact if registry is not None else None
    return {
        "round": {
            "id": round_.id,
            "title": round_.title,
            "deadline": round_.deadline.isoformat(),
            "deadline_da": danish_date(round_.deadline),
            "questions": [{"id": q.id, "text": q.text} for q in round_.questions],
        },
        "values": [
            {"id": v.id, "number": v.number, "text": v.text}
            for v in listed_values(snapshot, round_)
            if v.active
        ],
        "municipalities": [
            {
                "code": m.code,
                "name": m.name,
                "file": f"{m.code}-{models.slugify(m.name) or 'kommune'}.yaml",
            }
            for m in municipalities
        ],
        "repository": repository.rstrip("/") if repository else None,
        "branch": registry.branch if registry is not None else "main",
        "email": contact.email if contact is not None else None,
        "schema": json_schema("proposal"),
    }
