"""What the result page shows beyond the plan itself: the professional variant of each
step, service details for the cards and the deadline in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ruta.pathway.inputs import PlanInput


def _days(n: int) -> str:
    # Spanish and English have one singular and one plural; no plural-form catalogue needed.
    return _("1 day") if n == 1 else _("%(n)d days") % {"n": n}


def _hours(n: int) -> str:
    return _("1 hour") if n == 1 else _("%(n)d hours") % {"n": n}


def remaining_text(hours: int) -> str:
    if hours <= 0:
        return _("now")
    days, rest = divmod(hours, 24)
    if days and rest:
        return _("%(days)s and %(hours)s") % {"days": _days(days), "hours": _hours(rest)}
    return _days(days) if days else _hours(hours)


def _service_details(ids: set[int]) -> dict[int, dict[str, Any]]:
    from ruta.directory.models import Service

    details = {}
    for s in Service.objects.filter(id__in=ids).select_related("district"):
        details[s.pk] = {
            "address": s.address, "hours": s.hours, "map_url": s.map_url, "tel_uri": s.tel_uri,
            "district_name": s.district.name if s.district else _("National"),
            "verified": s.is_verified, "kind_label": s.get_kind_display(),
        }
    return details


def result_context(result: dict[str, Any], data: PlanInput, snapshot: dict[str, Any], now: datetime) -> dict[str, Any]:
    lang = "en" if data.lang == "en" else "es"
    rules = {r["code"]: r for r in snapshot["rules"]}
    details = _service_details({s["id"] for step in result["steps"] for s in step["services"]})
    steps = []
    countdown = None
    for step in result["steps"]:
        rule = rules[step["code"]]
        due = parse_datetime(step["due_at"]) if step["due_at"] else None
        shown = dict(step)
        shown.update(
            professional=rule[f"professional_{lang}"],
            source=rule["source"],
            due=due,
            remaining=remaining_text(step["deadline_hours"]) if step["deadline_hours"] is not None else "",
            services=[{**s, **details.get(s["id"], {})} for s in step["services"]],
        )
        steps.append(shown)
        # With the time unknown the kit is due now, but no window can be counted down.
        known = data.hours_since_incident is not None
        if step["code"] == "health_emergency_kit" and due is not None and countdown is None and known:
            countdown = {"due": due, "remaining": shown["remaining"], "due_iso": step["due_at"]}
    return {
        "result": result,
        "steps": steps,
        "warnings": result["warnings"],
        "countdown": countdown,
        "professional": data.reporter_role != "self",
        "generated_at": now,
    }
