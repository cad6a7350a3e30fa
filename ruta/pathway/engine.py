"""The care-pathway engine: from what is known about a case to the steps to take, in order,
with deadlines, nearby services and warnings.

    plan(data: PlanInput, now: datetime | None = None) -> dict

Output (stable; the API, the guide, the command and the cases app rely on it)::

    {"rules_version": str,
     "steps": [{"code", "institution", "deadline_hours" (int | None), "due_at" (ISO | None),
                "mandatory" (bool), "title", "why", "legal_basis", "confidence",
                "services": [{"id", "name", "kind", "district", "phone", "open_24h", "km"}]}],
     "warnings": [{"code", "text"}]}

``deadline_hours`` is counted from ``now``: for the emergency kit it is 72 minus the hours
since the incident. Rules come from the database (``models.Rule``), so administrators
change them without a release. The engine never computes a risk level.

:func:`compute_plan` is the pure part, over plain data (rules, cautions and services as
dicts); ``static/pathway/guide.js`` ports it for the offline guide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ruta.directory.places import distance_km, district_centroids
from ruta.pathway.codes import YOUNG_READERS
from ruta.pathway.conditions import facts_of, holds
from ruta.pathway.inputs import PlanInput

# A crisis page offers few choices, but from each distance: the nearest may be a day-time post
# and the next tier the hospital. National lines are few and always listed.
MAX_PER_TIER = 2
MAX_NATIONAL = 3
RULE_FIELDS = (
    "code", "order", "institution", "service_kinds", "service_offer", "applies_when", "mandatory_when",
    "deadline_hours", "deadline_from", "title_es", "title_en", "plain_es", "plain_en", "professional_es",
    "professional_en", "legal_basis", "source", "confidence",
)
CAUTION_FIELDS = ("code", "order", "applies_when", "text_es", "text_en", "young_es", "young_en", "legal_basis",
                  "source", "confidence")
SERVICE_FIELDS = ("id", "name", "kind", "district", "phone", "open_24h", "national", "offers", "lat", "lon",
                  "private")


def rules_snapshot() -> dict[str, Any]:
    """The active rules and cautions, with the version string a plan carries."""
    from ruta.pathway.models import Caution, Rule, RulesRelease

    rules = list(Rule.objects.filter(active=True).order_by("order", "code").values(*RULE_FIELDS))
    cautions = list(Caution.objects.filter(active=True).order_by("order", "code").values(*CAUTION_FIELDS))
    label = RulesRelease.objects.values_list("label", flat=True).first() or "unreleased"
    digest = hashlib.sha256(
        json.dumps([rules, cautions], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:8]
    return {"version": f"{label}+{digest}", "rules": rules, "cautions": cautions}


def services_near(district: str | None, kinds: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Active services of ``kinds`` in the district's department, and national ones."""
    from ruta.directory.models import Service, first_phone

    qs = Service.objects.active()
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    where = Q(national=True)
    if district:
        where |= Q(district__code__startswith=district[:2])
    rows = qs.filter(where).values("id", "name", "kind", "district_id", "phones", "open_24h", "national", "offers",
                                   "latitude", "longitude", "sector")
    centroids = district_centroids()
    out = []
    for r in rows:
        # Without its own coordinates a service is placed at its district's centroid.
        lat: float | None
        lon: float | None
        if r["latitude"] is not None and r["longitude"] is not None:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        else:
            lat, lon = centroids.get(r["district_id"] or "", (None, None))
        out.append({
            "id": r["id"], "name": r["name"], "kind": r["kind"], "district": r["district_id"],
            "phone": first_phone(r["phones"]), "open_24h": r["open_24h"],
            "national": r["national"], "offers": list(r["offers"]), "lat": lat, "lon": lon,
            "private": r["sector"] == "private",
        })
    return out


def proximity(service: dict[str, Any], district: str | None) -> int:
    """0 same district, 1 same province, 2 same department, 3 national, 4 elsewhere."""
    where = service["district"]
    if district and where:
        if where == district:
            return 0
        if where[:4] == district[:4]:
            return 1
        if where[:2] == district[:2]:
            return 2
    return 3 if service["national"] else 4


def km_from(service: dict[str, Any], origin: tuple[float, float] | None) -> float | None:
    if origin is None or service["lat"] is None or service["national"]:
        return None
    return distance_km(origin[0], origin[1], service["lat"], service["lon"])


def services_for_step(rule: dict[str, Any], services: Sequence[dict[str, Any]], district: str | None,
                      urgent: bool) -> list[dict[str, Any]]:
    """Nearest first: same district, province, department, then national lines, at most
    two per tier and three national; within a tier open 24 h first when urgent, then by
    straight-line distance from the district's centroid (private ones after public ones:
    they charge); only those with the rule's
    preferred offer when there are any. The nearest local service with a registered phone
    (a public one if any) is always listed first, so the first card can be called."""
    origin = district_centroids().get(district or "")
    found = [(proximity(s, district), km_from(s, origin), s) for s in services if s["kind"] in rule["service_kinds"]]
    found = [f for f in found if f[0] < 4]
    offer = rule["service_offer"]
    if offer and any(offer in s["offers"] for _, _, s in found):
        found = [f for f in found if offer in f[2]["offers"]]
    found.sort(key=lambda f: (f[0], urgent and not f[2]["open_24h"], f[2]["private"],
                              f[1] if f[1] is not None else 1e9, f[2]["name"], f[2]["id"]))
    chosen = []
    for tier in range(4):
        in_tier = [f for f in found if f[0] == tier]
        chosen += in_tier[:MAX_NATIONAL if tier == 3 else MAX_PER_TIER]
    with_phone = [f for f in found if f[0] < 3 and f[2]["phone"]]
    callable_ = next((f for f in with_phone if not f[2]["private"]), with_phone[0] if with_phone else None)
    if callable_ is not None and chosen and not chosen[0][2]["phone"]:
        chosen = [callable_, *(f for f in chosen if f[2]["id"] != callable_[2]["id"])]
    return [
        {"id": s["id"], "name": s["name"], "kind": s["kind"], "district": s["district"], "phone": s["phone"],
         "open_24h": s["open_24h"], "km": km}
        for _, km, s in chosen
    ]


def caution_text(caution: dict[str, Any], lang: str, *, young: bool) -> str:
    """A warning as its reader reads it: young readers (tú) their own text when it has one."""
    text: str = (young and caution.get(f"young_{lang}")) or caution[f"text_{lang}"]
    return text


def compute_plan(data: PlanInput, snapshot: dict[str, Any], services: Sequence[dict[str, Any]],
                 now: datetime) -> dict[str, Any]:
    lang = "en" if data.lang == "en" else "es"
    facts = facts_of(data)
    steps = []
    for rule in snapshot["rules"]:
        if not holds(rule["applies_when"], facts):
            continue
        deadline = rule["deadline_hours"]
        if deadline is not None and rule["deadline_from"] == "incident":
            # Time unknown: the window may be closing, so the step is due now rather than open-ended.
            hours = data.hours_since_incident
            deadline = 0 if hours is None else max(deadline - hours, 0)
        urgent = data.immediate_danger or deadline is not None
        steps.append({
            "code": rule["code"],
            "institution": rule["institution"],
            "deadline_hours": deadline,
            "due_at": None if deadline is None else (now + timedelta(hours=deadline)).astimezone(UTC).isoformat(),
            "mandatory": holds(rule["mandatory_when"], facts),
            "title": rule[f"title_{lang}"],
            "why": rule[f"plain_{lang}"],
            "legal_basis": rule["legal_basis"],
            "confidence": rule["confidence"],
            "services": services_for_step(rule, services, data.district, urgent),
        })
    facts["unverified_step"] = any(s["confidence"] == "unverified" for s in steps)
    young = data.reporter_role in YOUNG_READERS
    warnings = [
        {"code": c["code"], "text": caution_text(c, lang, young=young)}
        for c in snapshot["cautions"] if holds(c["applies_when"], facts)
    ]
    return {"rules_version": snapshot["version"], "steps": steps, "warnings": warnings}


def plan(data: PlanInput, now: datetime | None = None) -> dict[str, Any]:
    """The steps to take for ``data``, in order. ``now`` must be timezone-aware."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("plan() needs a timezone-aware datetime")
    snapshot = rules_snapshot()
    kinds = {k for r in snapshot["rules"] for k in r["service_kinds"]}
    return compute_plan(data, snapshot, services_near(data.district, kinds), now)
