"""A case's history as one list of dated events, built from the records themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ruta.cases.codes import REFERRAL_STEP_CHOICES, ClosureDecision, ClosureReason, ConsentGiver, ReferralStatus
from ruta.cases.models import Case, Closure, Consent, FollowUp, Incident, ReferralUpdate, StatusChange


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    title: str
    by: str
    text: str = ""


def _who(user: object) -> str:
    return (getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "")) if user else ""


def build(case: Case) -> list[Event]:
    events: list[Event] = []
    steps, statuses = dict(REFERRAL_STEP_CHOICES), dict(ReferralStatus.choices)
    for sc in StatusChange.objects.filter(case=case).select_related("by"):
        title = {"open": _("Case opened"), "closed": _("Case closed"), "reopened": _("Case reopened")}[sc.status]
        events.append(Event(sc.at, "status", title, _who(sc.by), sc.reason or ""))
    for inc in Incident.objects.filter(case=case):
        events.append(Event(inc.created_at, "incident", _("Incident recorded: %(type)s") % {
            "type": inc.get_gbv_type_display()}, "", ""))
    for c in Consent.objects.filter(case=case).select_related("recorded_by", "withdrawn_by"):
        scope = ", ".join(str(label) for on, label in (
            (c.for_services, _("services")), (c.for_sharing, _("sharing")), (c.for_statistics, _("statistics")))
            if on) or _("nothing")
        giver = dict(ConsentGiver.choices)[c.given_by]
        events.append(Event(c.recorded_at, "consent", _("Consent recorded"), _who(c.recorded_by),
                            _("%(giver)s; for %(scope)s") % {"giver": giver, "scope": scope}))
        if c.withdrawn_at:
            events.append(Event(c.withdrawn_at, "consent", _("Consent withdrawn or replaced"), _who(c.withdrawn_by)))
    for u in ReferralUpdate.objects.filter(referral__case=case).select_related("by", "referral"):
        title = _("Referral %(step)s: %(status)s") % {
            "step": steps.get(u.referral.step_code, u.referral.step_code), "status": statuses[u.status]}
        events.append(Event(u.at, "referral", title, _who(u.by), u.note or ""))
    for f in FollowUp.objects.filter(case=case).select_related("by"):
        events.append(Event(f.recorded_at, "followup", _("Follow-up"), _who(f.by), f.note or ""))
    reasons, decisions = dict(ClosureReason.choices), dict(ClosureDecision.choices)
    for cl in Closure.objects.filter(case=case).select_related("requested_by", "decided_by"):
        events.append(Event(cl.requested_at, "closure", _("Closure requested: %(reason)s") % {
            "reason": reasons[cl.reason]}, _who(cl.requested_by), cl.note or ""))
        if cl.decided_at:
            events.append(Event(cl.decided_at, "closure", _("Closure decision: %(decision)s") % {
                "decision": decisions[cl.decision]}, _who(cl.decided_by), cl.decision_note or ""))
    events.sort(key=lambda e: e.at, reverse=True)
    return events
