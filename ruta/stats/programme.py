"""The programme's own cases, de-identified: only incidents of cases whose survivor consented to
statistics (and has not withdrawn it), counted per organisation, through the disclosure control.

Reads the incident's derived facts only (type, survivor's age and sex at the incident, the
aggressor's relationship, dates): never a name, a narrative or a code.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from ruta.cases.classification import GBV_TYPES
from ruta.cases.models import Consent, Incident
from ruta.lib.suppression import MIN_BASE, median_of, protect_table
from ruta.pathway.codes import Relationship
from ruta.stats.register import AGE_BANDS, age_band
from ruta.stats.tables import Table


def consented_incidents(organisation: Any) -> QuerySet[Incident]:
    consent = Consent.objects.filter(case=OuterRef("case"), for_statistics=True, withdrawn_at__isnull=True)
    return Incident.objects.filter(case__organisation=organisation).filter(Exists(consent))


def _cross(rows: list[tuple[str, str]], keys: list[tuple[str, Any]], columns: list[tuple[str, Any]], slug: str,
           caption: str, header: str) -> Table:
    counts: dict[tuple[str, str], int] = {}
    for pair in rows:
        counts[pair] = counts.get(pair, 0) + 1
    cells = [[counts.get((k, c), 0) for c, _label in columns] for k, _l in keys]
    protected = protect_table(cells)
    body = [(str(label), [*map(str, line), str(total)])
            for (_k, label), line, total in zip(keys, protected.cells, protected.row_totals, strict=True)]
    body.append((_("Total"), [*map(str, protected.column_totals), str(protected.total)]))
    return Table(slug, caption, header, [str(label) for _c, label in columns] + [_("Total")], body,
                 protected.has_complement)


def build(organisation: Any) -> tuple[list[Table], float | None, int]:
    """The tables, the median days from incident to report (``None`` below 10 incidents), and how
    many incidents count."""
    facts = list(consented_incidents(organisation).values_list("gbv_type", "survivor_age",
                                                               "aggressor_relationship", "occurred_on",
                                                               "reported_on"))
    types = [(code, label) for code, label in GBV_TYPES]
    bands = [(b[0], b[0]) for b in AGE_BANDS] + [("unknown", _("Not recorded"))]
    by_age = [(t, age_band(a) if a is not None else "unknown") for t, a, _r, _o, _p in facts]
    by_relationship = [(t, r) for t, _a, r, _o, _p in facts]
    tables = [
        _cross(by_age, types, bands, "cases-age", _("Incidents by GBVIMS type and the survivor's age band"),
               _("GBVIMS type")),
        _cross(by_relationship, types, [(str(r), r.label) for r in Relationship], "cases-relationship",
               _("Incidents by GBVIMS type and the aggressor's relationship"), _("GBVIMS type")),
    ]
    delays = [float((p - o).days) for _t, _a, _r, o, p in facts]
    return tables, median_of(delays), len(facts)


__all__ = ["MIN_BASE", "build", "consented_incidents"]
