"""``GET /api/v1/stats/cem``: exact counts of the CEM register for operators.

Staff only (M&E officer, coordinator; anyone else gets 404, anonymous callers 401), read
through the browser session, and every call is written to the access log: these counts are
unsuppressed and never published as they are. Filters: ``department`` (2-digit UBIGEO of
residence) and ``year`` (of intake); left out or blank, all of them.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ruta.accounts.models import User
from ruta.accounts.policy import two_factor_pending
from ruta.audit.actions import record_access
from ruta.stats.counts import cem_counts
from ruta.stats.policy import can_read_exact_counts

router = Router(tags=["statistics"])


class SexCounts(Schema):
    total: int
    age_0_17: int
    sexual: int
    partner: int
    family: int
    severe: int
    complaint_filed: int


class BySex(Schema):
    female: SexCounts
    male: SexCounts


class CemCounts(Schema):
    department: str | None
    year: int | None
    total: int
    by_sex: BySex
    rape_reports: int
    rape_reports_girls_under_18: int
    repeat_aggression: int


@router.get("/stats/cem", response=CemCounts, url_name="stats_cem", auth=django_auth,
            summary="Exact CEM register counts (operators only)")
def cem(request: HttpRequest, department: str = "", year: str = "") -> Any:
    user = request.user
    if not isinstance(user, User) or two_factor_pending(user) or not can_read_exact_counts(user):
        raise HttpError(404, "Not found")
    problems = {}
    if department and not re.fullmatch(r"\d{2}", department):
        problems["department"] = "a two-digit UBIGEO department code, such as 17"
    if year and not re.fullmatch(r"(19|20)\d{2}", year):
        problems["year"] = "a year of four digits"
    if problems:
        return JsonResponse({"detail": problems}, status=400)
    counts = cem_counts(department or None, int(year) if year else None)
    record_access(user, "stats.cem_counts.view", object_type="stats.cem_register",
                  object_id=f"{department or '*'}:{year or '*'}", detail={"department": department, "year": year})
    return counts
