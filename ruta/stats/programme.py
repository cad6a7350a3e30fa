"""The programme's own cases, de-identified: only incidents of cases whose survivor consented to
statistics (and has not withdrawn it), counted per organisation, through the disclosure control.

Reads the incident's derived facts only (type, survivor's age and sex at the incident, the
aggressor's relationship, dates) and referrals' steps, deadlines and when they were attended:
never a name, a narrative or a code.

The tables of one publication are protected as one set (``protect_set``): the two tables by
GBVIMS type share their totals by type and their grand total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _

from ruta.cases.classification import GBV_TYPES
from ruta.cases.codes import ReferralStatus
from ruta.cases.models import Consent, Incident, Referral, ReferralUpdate
from ruta.cases.pathway import SEXUAL_GBV_TYPES
from ruta.lib.suppression import MIN_BASE, ProtectedTable, SetPart, median_of, protect_set, share
from ruta.pathway.codes import Relationship, StepCode
from ruta.stats.register import AGE_BANDS, age_band
from ruta.stats.tables import Table

# Seen within 72 hours: the report is dated no later than the third day after the incident
# (both are dates; the time of day is often unknown).
KIT_DAYS = 3


def consented_incidents(organisation: Any) -> QuerySet[Incident]:
    consent = Consent.objects.filter(case=OuterRef("case"), for_statistics=True, withdrawn_at__isnull=True)
    return Incident.objects.filter(case__organisation=organisation).filter(Exists(consent))


@dataclass
class CaseFigures:
    """The programme's case figures for one organisation and period, as published."""

    tables: list[Table]
    median_days: float | None  # from the incident to its report (first contact)
    counted: int  # incidents counted
    kit_share: float | None  # of sexual-violence survivors seen within 72 hours, kit attended in time
    kit_base: int
    protected: list[ProtectedTable]


def _count(pairs: list[tuple[str, str]], keys: list[str], columns: list[str]) -> list[list[int]]:
    counts: dict[tuple[str, str], int] = {}
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1
    return [[counts.get((k, c), 0) for c in columns] for k in keys]


def _table(slug: str, caption: str, header: str, row_labels: list[str], column_labels: list[str],
           protected: ProtectedTable) -> Table:
    body = [(label, [*map(str, line), str(total)])
            for label, line, total in zip(row_labels, protected.cells, protected.row_totals, strict=True)]
    body.append((_("Total"), [*map(str, protected.column_totals), str(protected.total)]))
    return Table(slug, caption, header, [*column_labels, _("Total")], body, protected.has_complement)


def figures(organisation: Any, start: dt.date | None = None, end: dt.date | None = None) -> CaseFigures:
    """Incidents reported from ``start`` to ``end`` (inclusive; all when not given) of cases with
    statistics consent: by GBVIMS type × age band and × relationship (one protected set), the
    median days to the report, the share of sexual-violence survivors seen within 72 hours
    whose emergency-kit referral was attended in time, and referrals attended on time by step."""
    incidents = consented_incidents(organisation)
    if start:
        incidents = incidents.filter(reported_on__gte=start)
    if end:
        incidents = incidents.filter(reported_on__lte=end)
    facts = list(incidents.values_list("gbv_type", "survivor_age", "aggressor_relationship", "occurred_on",
                                       "reported_on", "case_id"))
    types = [code for code, _label in GBV_TYPES]
    type_labels = [str(label) for _code, label in GBV_TYPES]
    bands = [b[0] for b in AGE_BANDS] + ["unknown"]
    band_labels = [b[0] for b in AGE_BANDS] + [_("Not recorded")]
    relationships = [str(r) for r in Relationship]
    by_age = _count([(t, age_band(a) if a is not None else "unknown") for t, a, *_rest in facts], types, bands)
    by_relationship = _count([(t, r) for t, _a, r, *_rest in facts], types, relationships)

    # Referrals of these cases: attended by their deadline, attended late, not attended.
    cases = {f[5] for f in facts}
    referrals = list(Referral.objects.filter(case_id__in=cases).values_list("case_id", "step_code", "status",
                                                                           "due_at", "pk"))
    attended_at = dict(ReferralUpdate.objects.filter(referral_id__in=[r[4] for r in referrals],
                                                     status=ReferralStatus.ATTENDED)
                       .values("referral_id").annotate(first=Min("at")).values_list("referral_id", "first"))
    steps = [str(s) for s in StepCode]
    outcome_keys = ["on_time", "late", "not_attended"]

    def outcome(pk: int, due: dt.datetime) -> str:
        when = attended_at.get(pk)
        if when is None:
            return "not_attended"
        return "on_time" if when <= due else "late"

    by_step = _count([(step, outcome(pk, due)) for _c, step, _s, due, pk in referrals if step in steps],
                     steps, outcome_keys)
    protected = protect_set([
        SetPart.table(by_age, total="incidents", rows=[("type", t) for t in types]),
        SetPart.table(by_relationship, total="incidents", rows=[("type", t) for t in types]),
        SetPart.table(by_step),
    ])
    tables = [
        _table("cases-age", _("Incidents by GBVIMS type and the survivor's age band"), _("GBVIMS type"),
               type_labels, band_labels, protected[0]),
        _table("cases-relationship", _("Incidents by GBVIMS type and the aggressor's relationship"),
               _("GBVIMS type"), type_labels, [str(r.label) for r in Relationship], protected[1]),
        _table("cases-referrals", _("Referrals by pathway step: attended by their deadline or not"),
               _("Pathway step"), [str(s.label) for s in StepCode],
               [_("Attended on time"), _("Attended late"), _("Not attended")], protected[2]),
    ]
    # The 72-hour kit: sexual violence reported within 3 days, and the case's emergency-kit
    # referral attended by its deadline.
    kit_cases = {c for t, _a, _r, o, p, c in facts if t in SEXUAL_GBV_TYPES and (p - o).days <= KIT_DAYS}
    kit_on_time = {c for c, step, _s, due, pk in referrals
                   if c in kit_cases and step == StepCode.HEALTH_EMERGENCY_KIT and outcome(pk, due) == "on_time"}
    delays = [float((p - o).days) for _t, _a, _r, o, p, _c in facts]
    return CaseFigures(tables, median_of(delays), len(facts), share(len(kit_on_time), len(kit_cases)),
                       len(kit_cases), protected)


def build(organisation: Any) -> tuple[list[Table], float | None, int]:
    """The tables, the median days from incident to report (``None`` below 10 incidents), and how
    many incidents count."""
    got = figures(organisation)
    return got.tables, got.median_days, got.counted


__all__ = ["MIN_BASE", "CaseFigures", "build", "consented_incidents", "figures"]
