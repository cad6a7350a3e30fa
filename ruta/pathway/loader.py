"""Load the rules shipped in ``data/rules.json`` into the database.

Used by the data migration (fresh installs) and by ``manage.py load_pathway_rules``
(to bring an install up to a newer shipped version). Rules are matched by code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).parent / "data" / "rules.json"


def read_rules_file(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def load_rules(rule_model: Any, caution_model: Any, release_model: Any,
               data: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update every rule and caution in ``data``; add its release label.

    Returns counts of created and updated rows. Models are passed in so the migration can
    use its historical models.
    """
    data = data or read_rules_file()
    counts = {"created": 0, "updated": 0}
    for model, rows in ((rule_model, data["rules"]), (caution_model, data["cautions"])):
        for row in rows:
            # An older migration's model lacks the fields added since: it gets the others.
            names = {f.name for f in model._meta.get_fields()}
            fields = {k: v for k, v in row.items() if k != "code" and k in names}
            _, created = model.objects.update_or_create(code=row["code"], defaults=fields)
            counts["created" if created else "updated"] += 1
    release_model.objects.get_or_create(label=data["version"], defaults={"notes": data.get("notes", "")})
    return counts
