"""What the result page shows beyond the plan itself, written for its reader: the reader's
own legal duty first, then the three most urgent actions with the nearest phone, then
every step folded. Young people (the survivor, a friend) read the plain text, addressed
as tú; adults read the professional text, addressed as usted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.lib.codes import Confidence
from ruta.pathway.codes import YOUNG_READERS
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


# Who reads the result. Young readers get the plain text (tú), adults the professional one (usted).
# The step that is the reader's own legal duty, shown first, and the duty in a sentence.
DUTY_STEP = {"teacher": "school_report", "health_worker": "report_to_authorities",
             "authority": "report_to_authorities"}
DUTY_TEXT = {
    "teacher": gettext_lazy("Tell the school's director today. The school records the case in SíseVe and informs the "
                     "UGEL within 24 hours, and reports it to the police or the prosecutor."),
    "health_worker": gettext_lazy("You must report it: to the police or the prosecutor, and your facility notifies "
                           "the CEM."),
    "authority": gettext_lazy("You must report it to the police or the prosecutor at once, without making her tell "
                       "the story again."),
}
FIRST_ACTIONS = 3


def _service_details(ids: set[int]) -> dict[int, dict[str, Any]]:
    from ruta.directory.models import Service

    details = {}
    for s in Service.objects.filter(id__in=ids).select_related("district"):
        details[s.pk] = {
            "address": s.address, "hours": s.hours, "map_url": s.map_url, "tel_uri": s.tel_uri,
            "district_name": s.district.name if s.district else _("National"),
            "verified": s.is_verified, "kind_label": s.get_kind_display(),
            "confidence_label": s.get_confidence_display(), "private": s.is_private,
            "lat": s.latitude, "lon": s.longitude,
        }
    return details


def _urgency(step: dict[str, Any]) -> tuple[int, int]:
    deadline = step["deadline_hours"]
    return (0 if deadline is not None else 1 if step["mandatory"] else 2, deadline or 0)


def result_context(result: dict[str, Any], data: PlanInput, snapshot: dict[str, Any], now: datetime) -> dict[str, Any]:
    lang = "en" if data.lang == "en" else "es"
    rules = {r["code"]: r for r in snapshot["rules"]}
    details = _service_details({s["id"] for step in result["steps"] for s in step["services"]})
    young = data.reporter_role in YOUNG_READERS
    steps = []
    countdown = None
    for step in result["steps"]:
        rule = rules[step["code"]]
        due = parse_datetime(step["due_at"]) if step["due_at"] else None
        shown = dict(step)
        shown.update(
            professional=rule[f"professional_{lang}"],
            text=step["why"] if young else rule[f"professional_{lang}"],
            confidence_label=Confidence(step["confidence"]).label,
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
    duty_code = DUTY_STEP.get(data.reporter_role)
    duty = next((s for s in steps if s["code"] == duty_code), None)
    if duty is not None:
        steps = [duty, *(s for s in steps if s is not duty)]
    ranked = sorted(steps[1:] if duty else steps, key=_urgency)
    first = ([duty] if duty else []) + ranked[:FIRST_ACTIONS - (1 if duty else 0)]
    for step in first:
        step["call"] = next((s for s in step["services"] if s.get("tel_uri")), None)
    return {
        "result": result,
        "steps": steps,
        "first": first,
        "duty": duty,
        "duty_text": DUTY_TEXT.get(data.reporter_role, ""),
        "young": young,
        "result_role": data.reporter_role,
        "warnings": result["warnings"],
        "countdown": countdown,
        "professional": data.reporter_role != "self",
        "generated_at": now,
    }
