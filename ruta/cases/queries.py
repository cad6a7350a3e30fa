"""Read-only queries behind the case lists: what a user's "Today" and case list show.

They read through ``policy`` (so a user only ever counts what they may see) and return plain
rows for the templates; nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.accounts.policy import organisation_id_of
from ruta.cases import policy
from ruta.cases.codes import REFERRAL_STEP_CHOICES, ClosureDecision, ErasureDecision
from ruta.cases.models import (
    ACTIVE,
    DOCUMENT_HASH_PURPOSE,
    PENDING,
    Case,
    Closure,
    ErasureRequest,
    SurvivorNamePart,
    name_part_hashes,
)
from ruta.directory.models import Kind
from ruta.lib.fields import search_hash
from ruta.pathway.codes import StepCode

TODAY_HORIZON = timedelta(hours=24)
TODAY_PAGE = 100
_CASE_CODE = re.compile(r"^C-[0-9A-Z]{7}$")


def find_cases(user: User, *, status: str, q: str) -> tuple[QuerySet[Case], str]:
    """The cases the user sees, and how they were searched (``""``, ``"code"``, ``"document"``,
    ``"name"``).

    An exact case code, a document number or a name finds the case whatever its status;
    otherwise ``status`` filters ("" the active ones, "all" every one). A name is searched by the
    keyed hashes of its parts: a case matches when its survivor's names have every part typed
    ("maria quispe" finds María Elena Quispe Mamani), whatever the accents or case."""
    qs = policy.visible_cases(user)
    if q:
        code = q.upper().replace(" ", "")
        if _CASE_CODE.match(code):
            return qs.filter(code=code), "code"
        if any(c.isdigit() for c in q) or not policy.can_see_names(user):
            return qs.filter(survivor__document_hash=search_hash(q, DOCUMENT_HASH_PURPOSE)), "document"
        hashes = name_part_hashes(q)
        if not hashes:
            return qs.none(), "name"
        # A part few survivors have ("huamancaja") is looked up first, from the hash index: its
        # survivors are the only candidates. Otherwise ("maría quispe" is everywhere), one probe of
        # the (survivor, hash) index per visible case and part: the cost follows the cases the user
        # sees, not how common a name is. Measured with 1,000,000 cases on SQLite: a supervisor who
        # sees 200,000 cases found one by a rare name in 610 ms probing every case.
        rare = _rarest(hashes)
        if rare is not None:
            qs = qs.filter(survivor_id__in=SurvivorNamePart.objects.filter(hash=rare).values("survivor_id"))
        for h in sorted(hashes - {rare}):
            qs = qs.filter(Exists(SurvivorNamePart.objects.filter(survivor_id=OuterRef("survivor_id"), hash=h)))
        return qs, "name"
    if status == "all":
        return qs, ""
    if status:
        return qs.filter(status=status), ""
    return qs.filter(**ACTIVE), ""


# A search counts its matches up to this many ("more than 500 cases: type more of the name").
SEARCH_COUNT_BOUND = 500
# A name part held by at most this many survivors is looked up from the hash index first.
RARE_NAME_PART = 2000


def _rarest(hashes: set[str]) -> str | None:
    """The hash held by the fewest survivors, when at most ``RARE_NAME_PART`` hold it; each count
    stops at that bound (an index range of a few thousand entries at most)."""
    best: tuple[int, str] | None = None
    for h in sorted(hashes):
        n = SurvivorNamePart.objects.filter(hash=h)[:RARE_NAME_PART + 1].count()
        if n <= RARE_NAME_PART and (best is None or n < best[0]):
            best = (n, h)
    return None if best is None else best[1]


CASE_ORDER = ("-opened_at", "-id")


def case_ids(cases: QuerySet[Case]) -> QuerySet[Case, int]:
    """The cases' ids in the case list's order (newest first), for the paginator to slice: a
    page deep in the list skips thousands of rows, and skipping ids read from an index is cheap
    where skipping joined rows (survivor, owner) is not."""
    return cases.order_by(*CASE_ORDER).values_list("id", flat=True)


def case_rows(ids: list[int], *, names: bool = False) -> list[dict[str, Any]]:
    """The case list's columns for the cases ``ids`` (one page of ``case_ids``), in that order;
    with ``names`` the survivor's names too, decrypted for these rows only."""
    columns = ["id", "code", "status", "risk_level", "opened_at", "next_referral_due_at", "next_followup_at",
               "survivor__code", "owner__username"]
    if names:
        columns += ["survivor__given_names", "survivor__family_names"]
    return list(Case.objects.filter(id__in=ids).order_by(*CASE_ORDER).values(*columns))


def today(user: User, now: datetime, number: int) -> dict[str, Any]:
    """Page ``number`` of what is due in the next 24 hours or overdue (referrals and follow-ups
    merged, soonest first), with the totals, the open 72-hour kit windows and, for a supervisor,
    the closures and erasures waiting for a decision."""
    horizon = now + TODAY_HORIZON
    upto = number * TODAY_PAGE  # the first `upto` of each kind are enough to merge this page
    # Pending referrals belong to active cases only: a case closes once none is pending.
    open_refs = policy.visible_referrals(user, of_active_cases=True)
    due_refs = open_refs.filter(**PENDING, due_at__lte=horizon)
    due_followups = policy.visible_active_cases(user).filter(next_followup_at__lte=horizon)
    refs = (due_refs.order_by("due_at", "id")
            .values("id", "due_at", "step_code", "service_name", "institution", "mandatory", "case__code")[:upto])
    followups = due_followups.order_by("next_followup_at", "id").values("code", "next_followup_at")[:upto]
    steps, kinds = dict(REFERRAL_STEP_CHOICES), dict(Kind.choices)
    items: list[dict[str, Any]] = [
        {"kind": "referral", "due_at": r["due_at"], "code": r["case__code"],
         "label": steps.get(r["step_code"], r["step_code"]),
         "service": r["service_name"] or kinds.get(r["institution"], ""),
         "mandatory": r["mandatory"], "referral": r["id"]} for r in refs]
    items += [{"kind": "followup", "due_at": f["next_followup_at"], "code": f["code"], "label": _("Follow-up"),
               "service": "", "mandatory": False} for f in followups]
    items.sort(key=lambda i: i["due_at"])
    items = items[upto - TODAY_PAGE:upto]
    for item in items:
        item["overdue"] = item["due_at"] < now
    r_counts = due_refs.aggregate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=now)))
    f_counts = due_followups.aggregate(n=Count("id"), late=Count("id", filter=Q(next_followup_at__lt=now)))
    total, overdue = r_counts["n"] + f_counts["n"], r_counts["late"] + f_counts["late"]
    kits = (open_refs.filter(**PENDING, step_code=StepCode.HEALTH_EMERGENCY_KIT, due_at__gt=now)
            .order_by("due_at").values("due_at", "case__code", "service_name", "institution")[:50])
    kit_rows = [{**k, "left": k["due_at"] - now, "service": k["service_name"] or kinds.get(k["institution"], "")}
                for k in kits]
    closures: list[Mapping[str, object]] = []
    erasures: list[Mapping[str, object]] = []
    if policy.is_case_supervisor(user):
        closures = list(Closure.objects.filter(decision=ClosureDecision.PENDING,
                                               case__organisation_id=organisation_id_of(user))
                        .order_by("requested_at").values("case__code", "requested_at", "reason")[:100])
        erasures = list(ErasureRequest.objects.filter(decision=ErasureDecision.PENDING,
                                                      case__organisation_id=organisation_id_of(user))
                        .order_by("requested_at").values("case__code", "requested_at")[:100])
    return {
        "items": items, "kits": kit_rows, "closures": closures, "erasures": erasures, "total": total,
        "overdue_count": overdue,
        "page_number": number, "first": upto - TODAY_PAGE + 1, "has_next": total > upto,
        "has_previous": number > 1,
    }
