"""Export in the GBVIMS Incident Recorder layout (XLSX) for case supervisors.

Survivor codes only, never a name. Every text cell is written with ``write_string`` so a
value that starts with ``=``, ``+``, ``-`` or ``@`` stays text and no formula ever runs.
Each exported case gets an access event.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from typing import Any

import xlsxwriter
from django.db import transaction
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.accounts.policy import organisation_id_of
from ruta.audit.actions import record_access
from ruta.cases.classification import GBV_TYPES
from ruta.cases.codes import (
    AgeGroup,
    PerpetratorCount,
    PlaceType,
    ReferralStatus,
    Sex,
    YesNoUnknown,
)
from ruta.cases.models import Consent, Incident, Referral
from ruta.pathway.codes import Relationship, ReporterRole

# Incident Recorder service columns and the pathway steps each one gathers.
SERVICE_COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("Health / medical", ("health_emergency_kit", "health_care")),
    ("Psychosocial", ("cem_care", "mental_health_followup")),
    ("Legal assistance", ("legal_aid", "forensic_exam", "single_interview", "protection_measures")),
    ("Police / security", ("report_to_authorities", "immediate_safety")),
    ("Safe house / shelter", ()),
    ("Child protection", ("child_protection",)),
    ("Education", ("school_report", "education_continuity")),
    ("Livelihoods", ()),
]
# How far a referral got, to sum up several of one service column.
_STATUS_RANK: dict[str, int] = {ReferralStatus.CANCELLED: 0, ReferralStatus.DECLINED: 1, ReferralStatus.REQUESTED: 2,
                ReferralStatus.ACCEPTED: 3, ReferralStatus.ATTENDED: 4}

HEADERS = [
    "Incident ID", "Survivor code", "Case worker code", "Date of interview / report", "Date of incident",
    "Incident date approximate", "Reporting delay", "Survivor age at incident", "Survivor sex", "Disability",
    "Unaccompanied or separated child", "Incident location type", "Incident district (UBIGEO)", "GBV type",
    "Case context", "Money, goods or benefits exchanged", "Previously reported", "Previous incidents",
    "Number of perpetrators", "Perpetrator sex", "Perpetrator age group", "Perpetrator relationship",
    "Referred from",
    *[name for name, _steps in SERVICE_COLUMNS],
    "Consent to share with referral receivers", "Consent to non-identifiable statistics",
]


def reporting_delay(days: int) -> str:
    """The Incident Recorder's buckets, with day 4 in "4-5 days" (Primero counts it in 0-3)."""
    if days <= 3:
        return "0-3 days"
    if days <= 5:
        return "4-5 days"
    if days <= 14:
        return "6-14 days"
    if days <= 30:
        return "2 weeks - 1 month"
    return "Over 1 month"


def _labels(choices: Any) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


@transaction.atomic
def incident_recorder_xlsx(user: User, reported_from: date, reported_to: date, *, watermark: str = ""
                           ) -> tuple[bytes, int]:
    incidents = list(
        Incident.objects.filter(case__organisation_id=organisation_id_of(user),
                                reported_on__gte=reported_from, reported_on__lte=reported_to)
        .order_by("reported_on", "id")
        .values("id", "code", "case_id", "survivor_code", "case__owner_id", "reported_on", "occurred_on",
                "date_is_approximate", "survivor_age", "survivor_sex", "case__survivor__disability",
                "case__survivor__unaccompanied_child", "place_type", "district_id", "gbv_type",
                "ctx_intimate_partner", "ctx_child_sexual_abuse", "ctx_early_marriage", "ctx_sexual_exploitation",
                "money_or_goods_exchanged", "previously_reported", "previous_incidents", "perpetrator_count",
                "aggressor_sex", "aggressor_age_group", "aggressor_relationship", "case__reporter_role"))
    case_ids = {i["case_id"] for i in incidents}
    services: dict[int, dict[str, str]] = defaultdict(dict)
    for r in Referral.objects.filter(case_id__in=case_ids).values("case_id", "step_code", "status").order_by("id"):
        for column, steps in SERVICE_COLUMNS:
            if r["step_code"] in steps:
                have = services[r["case_id"]].get(column)
                if have is None or _STATUS_RANK[r["status"]] > _STATUS_RANK[have]:
                    services[r["case_id"]][column] = r["status"]
    consent: dict[int, tuple[bool, bool]] = {}
    for c in Consent.objects.filter(case_id__in=case_ids, withdrawn_at__isnull=True).values(
            "case_id", "for_sharing", "for_statistics").order_by("recorded_at", "id"):
        consent[c["case_id"]] = (c["for_sharing"], c["for_statistics"])

    gbv, place, sex = _labels(GBV_TYPES), _labels(PlaceType.choices), _labels(Sex.choices)
    rel, age, count = _labels(Relationship.choices), _labels(AgeGroup.choices), _labels(PerpetratorCount.choices)
    yesno, reporter, status = _labels(YesNoUnknown.choices), _labels(ReporterRole.choices), _labels(
        ReferralStatus.choices)

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "text_wrap": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Incident Recorder")
    for col, title in enumerate(HEADERS):
        sheet.write_string(0, col, title, head)
    for row, i in enumerate(incidents, start=1):
        contexts = [name for flag, name in (
            (i["ctx_intimate_partner"], "Intimate partner violence"),
            (i["ctx_child_sexual_abuse"], "Child sexual abuse"),
            (i["ctx_early_marriage"], "Early marriage"),
            (i["ctx_sexual_exploitation"], "Possible sexual exploitation")) if flag]
        cells: list[Any] = [
            i["code"], i["survivor_code"], f"W{i['case__owner_id']}", i["reported_on"], i["occurred_on"],
            "Yes" if i["date_is_approximate"] else "No",
            reporting_delay((i["reported_on"] - i["occurred_on"]).days),
            i["survivor_age"], sex.get(i["survivor_sex"], ""), yesno.get(i["case__survivor__disability"], ""),
            "Yes" if i["case__survivor__unaccompanied_child"] else "No", place.get(i["place_type"], ""),
            i["district_id"], gbv.get(i["gbv_type"], ""), "; ".join(contexts),
            "Yes" if i["money_or_goods_exchanged"] else "No", "Yes" if i["previously_reported"] else "No",
            i["previous_incidents"], count.get(i["perpetrator_count"], ""), sex.get(i["aggressor_sex"], ""),
            age.get(i["aggressor_age_group"], ""), rel.get(i["aggressor_relationship"], ""),
            reporter.get(i["case__reporter_role"], ""),
            *[status.get(services[i["case_id"]].get(column, ""), "Not referred") for column, _s in SERVICE_COLUMNS],
        ]
        share, stats = consent.get(i["case_id"], (False, False))
        cells += ["Yes" if share else "No", "Yes" if stats else "No"]
        for col, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(row, col, value, day)
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
    note = book.add_worksheet("README")
    note.write_string(0, 0, _("GBVIMS service data measure the services given, not how common violence is."))
    note.write_string(1, 0, _("Survivor codes only; no names. Keep this file as confidential as the cases."))
    if watermark:  # who took it out, when and why: in the file itself and its properties
        note.write_string(2, 0, watermark)
        book.set_properties({"author": getattr(user, "username", ""), "comments": watermark})
    book.close()
    for case_id in sorted(case_ids):
        record_access(user, "export", object_type="cases.case", object_id=case_id,
                      detail={"format": "incident_recorder_xlsx"})
    return buf.getvalue(), len(incidents)
