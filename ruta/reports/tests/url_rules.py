from __future__ import annotations

import datetime as dt
from typing import Any

from ruta.program.models import Programme
from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

READERS = frozenset({"coordinator", "me_officer", "donor"})


def _programme(cast: Cast) -> dict[str, Any]:
    programme, _created = Programme.objects.get_or_create(
        name="Alpha grant", defaults={"donor": "EMpower", "starts_on": dt.date(2025, 1, 1),
                                      "ends_on": dt.date(2025, 12, 31), "organisation": cast.alpha_org,
                                      "donor_organisation": cast.alpha_org})
    return {"pk": programme.pk}


RULES = [
    UrlRule("reports:index", READERS),
    UrlRule("reports:donor", READERS, kwargs=_programme, own_org_only=True, denied=404),
    UrlRule("reports:donor_pdf", READERS, kwargs=_programme, own_org_only=True, denied=404),
    UrlRule("reports:donor_xlsx", READERS, kwargs=_programme, own_org_only=True, denied=404),
    UrlRule("reports:narrative", frozenset({"coordinator"}), kwargs=_programme, own_org_only=True, denied=404),
]

# The DHIS2 export: the monitoring officer and the coordinator (the programme's whole period is a year).
RULES += [
    UrlRule("reports:dhis2", frozenset({"coordinator", "me_officer"}), own_org_only=True, denied=404,
            kwargs=lambda cast: {**_programme(cast), "fmt": "json"}),
]
