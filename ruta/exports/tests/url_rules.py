"""The exports list for those who export or approve person-level records; deciding by POST."""

from __future__ import annotations

from typing import Any

from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

SEE = frozenset({"case_supervisor", "coordinator", "me_officer"})


def _waiting(cast: Cast) -> dict[str, Any]:
    from ruta.exports.models import Kind, PersonExport

    export = PersonExport.objects.create(kind=Kind.PROGRAMME_RECORDS, requested_by=cast.alpha["me_officer"],
                                         organisation=cast.alpha_org, purpose="Quarterly report",
                                         status=PersonExport.Status.WAITING)
    return {"pk": export.pk}


RULES = [
    UrlRule("exports:list", SEE),
    # Only Alpha's coordinator sees (and so may decide on) Alpha's programme export; the M&E officer
    # who asked sees it too but cannot decide (a message, then back to the list).
    UrlRule("exports:decide", frozenset({"coordinator", "me_officer"}), _waiting, own_org_only=True, method="post",
            ok=302, denied=404, data=lambda cast: {"decision": "approve"}),
]
