"""Opening a case runs the care pathway: the case's facts go into the pathway engine
(issue 3, ``ruta.pathway.engine``) and its plan becomes the proposed referrals.

The engine's output shape (documented by the pathway app) is
``{"rules_version", "steps": [{"code", "institution", "deadline_hours", "due_at",
"mandatory", "title", "why", "legal_basis", "confidence", "services": [{"id", "name", ...}]}],
"warnings": [{"code", "text"}]}``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ruta.cases.models import Case, Incident

KIT_STEP = "health_emergency_kit"
SEXUAL_GBV_TYPES = ("rape", "sexual_assault")

# Ruta's violence types are the CEM register's; the engine takes the same codes.
_VIOLENCE_ORDER = ("sexual", "physical", "psychological", "economic")


class PathwayUnavailable(Exception):
    """The pathway engine could not produce a plan; referrals can still be added by hand."""


def plan_input(case: Case, incident: Incident, now: datetime, lang: str) -> dict[str, Any]:
    survivor = case.survivor
    hours = (now - incident.occurred_at()).total_seconds() / 3600
    # A child's protections follow her age when it happened, and Peru's calendar day, not UTC's.
    ages = [a for a in (survivor.age_on(incident.occurred_on), survivor.age_on(timezone.localdate(now)))
            if a is not None]
    types = set(incident.violence_types)
    if incident.gbv_type in SEXUAL_GBV_TYPES:  # the classification answers say sexual violence
        types.add("sexual")
    return {
        "age": min(ages) if ages else None,
        "sex": survivor.sex,
        "violence_types": [v for v in _VIOLENCE_ORDER if v in types],
        "hours_since_incident": max(0, int(hours)),
        "aggressor_relationship": incident.aggressor_relationship,
        "aggressor_lives_with_survivor": incident.aggressor_lives_with_survivor in (1, 2),
        "immediate_danger": case.immediate_danger,
        "is_student": survivor.is_student,
        "reporter_role": case.reporter_role,
        "district": survivor.district_id,
        "lang": "en" if lang.startswith("en") else "es",
    }


def _engine() -> tuple[Any, Any]:
    """The pathway app's input parser and engine."""
    try:
        from ruta.pathway.engine import plan
        from ruta.pathway.inputs import parse_plan_input
    except ImportError as e:  # the pathway app is deployed with Ruta; this guards a broken install
        raise PathwayUnavailable(str(e)) from e
    return parse_plan_input, plan


def incident_for_plan(case: Case, now: datetime) -> Incident | None:
    """The incident the plan follows: a sexual one whose 72-hour window may still be open comes
    before any later incident (the kit must not be lost), otherwise the newest."""
    incidents = list(case.incidents.order_by("-occurred_on", "-id")[:20])
    for incident in incidents:
        sexual = "sexual" in incident.violence_types or incident.gbv_type in SEXUAL_GBV_TYPES
        if sexual and incident.occurred_at() + timedelta(hours=72) >= now:
            return incident
    return incidents[0] if incidents else None


def plan_for_case(case: Case, now: datetime, lang: str) -> dict[str, Any]:
    incident = incident_for_plan(case, now)
    if incident is None:
        raise PathwayUnavailable("the case has no incident")
    parse_plan_input, plan = _engine()
    parsed, errors = parse_plan_input(plan_input(case, incident, now, lang))
    if parsed is None:
        raise PathwayUnavailable("; ".join(f"{k}: {v}" for k, v in errors.items()))
    proposed = for_professionals(normalise_plan(plan(parsed, now)), "en" if lang.startswith("en") else "es")
    for step in proposed["steps"]:
        if step["code"] == KIT_STEP:
            # The window closes 72 h after the incident itself, not after the rounded hours.
            step["due_at"] = incident.kit_window_closes()
        elif step.get("from_disclosure") and step.get("deadline_hours"):
            # The engine counts from now; the case was disclosed when it was opened.
            step["due_at"] = min(step["due_at"], case.opened_at + timedelta(hours=step["deadline_hours"]))
        # A window that closed before the worker saw it is shown as missed, never proposed.
        # ("now", a deadline of 0 hours, stays now.)
        step["missed"] = (step["due_at"] is not None and step["due_at"] <= now
                          and (step["code"] == KIT_STEP or bool(step.get("deadline_hours"))))
        # What the worker must not leave unchosen: a mandatory step, or one with a deadline.
        step["urgent"] = bool(step.get("mandatory")) or step.get("deadline_hours") is not None
    return proposed


def for_professionals(proposed: dict[str, Any], lang: str) -> dict[str, Any]:
    """A case worker reads each step's professional text and the adults' warnings (usted), whoever
    brought the case: the plain words are for the survivor or a teacher."""
    from ruta.pathway.engine import caution_text
    from ruta.pathway.models import Caution, Rule

    codes = [s["code"] for s in proposed["steps"]]
    rules = {r["code"]: r for r in Rule.objects.filter(code__in=codes).values("code", f"professional_{lang}",
                                                                                  "deadline_from")}
    for step in proposed["steps"]:
        rule = rules.get(step["code"], {})
        step["why"] = rule.get(f"professional_{lang}") or step.get("why", "")
        step["from_disclosure"] = rule.get("deadline_from") == "disclosure"
    shown = Caution.objects.filter(code__in=[w["code"] for w in proposed["warnings"]])
    cautions: dict[str, dict[str, Any]] = {
        c["code"]: dict(c) for c in shown.values("code", "text_es", "text_en", "young_es", "young_en")}
    for warning in proposed["warnings"]:
        if warning["code"] in cautions:
            warning["text"] = caution_text(cautions[warning["code"]], lang, young=False)
    return proposed


def normalise_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """Turn ISO ``due_at`` strings into aware datetimes; keep everything else as the engine said."""
    steps = []
    for step in plan.get("steps", []):
        step = dict(step)
        due = step.get("due_at")
        if isinstance(due, str):
            step["due_at"] = parse_datetime(due)
        step["services"] = list(step.get("services") or [])
        steps.append(step)
    return {"rules_version": str(plan.get("rules_version", "")), "steps": steps,
            "warnings": list(plan.get("warnings") or [])}
