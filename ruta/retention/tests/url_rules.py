"""Every URL of the erasure page × every role (see ``ruta/testing/access.py``)."""

from __future__ import annotations

from typing import Any

from ruta.program.tests import fixtures
from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

SEE = frozenset({"coordinator", "me_officer"})


def _waiting(cast: Cast) -> dict[str, Any]:
    from ruta.retention.models import ParticipantErasure

    person = fixtures.participant(cast, "P-ERASE1", name="Nadia Quispe")
    req = ParticipantErasure.objects.filter(participant=person, decision="pending").first()
    if req is None:
        req = ParticipantErasure.objects.create(participant=person, organisation=cast.alpha_org,
                                                requested_by=cast.alpha["facilitator"])
    return {"pk": req.pk}


def _request_data(cast: Cast) -> dict[str, Any]:
    fixtures.participant(cast, "P-ERASE2", name="Luz Mamani")
    return {"programme": str(fixtures.programme(cast).pk), "code": "P-ERASE2"}


RULES = [
    UrlRule("retention:erasures", SEE),
    # Alpha's coordinator asks (then back to the page); Beta's is refused Alpha's programme (404).
    UrlRule("retention:erasure_request", frozenset({"coordinator"}), own_org_only=True, method="post", ok=302,
            denied=404, data=_request_data),
    # Alpha's coordinator or M&E officer decides; another organisation's request is 404.
    UrlRule("retention:erasure_decide", SEE, _waiting, own_org_only=True, method="post", ok=302, denied=404,
            data=lambda cast: {"decision": "refuse"}),
]
