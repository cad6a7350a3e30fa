"""Everything that changes a case. Each action is atomic and writes an access event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.accounts.policy import organisation_id_of
from ruta.audit.actions import record_access
from ruta.cases import policy
from ruta.cases.codes import (
    PENDING_REFERRAL_STATUSES,
    CaseStatus,
    ClosureDecision,
    ConsentGiver,
    ErasureDecision,
)
from ruta.cases.models import (
    ACTIVE,
    Case,
    CaseAssignment,
    Closure,
    Consent,
    ErasureRequest,
    FollowUp,
    Incident,
    Referral,
    ReferralUpdate,
    StatusChange,
    Survivor,
    SurvivorNamePart,
    new_code,
)
from ruta.directory.models import Service
from ruta.lib.foureyes import FourEyesError, decide_once


class CaseActionError(Exception):
    """A rule of case work refused the change; the message is for the user."""


class ConsentRequired(CaseActionError):
    pass


class StaleReferral(CaseActionError):
    """Someone else changed the referral after this user read it."""

    def __init__(self, current: Referral) -> None:
        self.current = current
        super().__init__(_(
            "Someone else updated this referral while you were editing it, so your change was not saved. "
            "Below is what it says now: check it and save your change again if it is still needed."))


def _unique_code(model: type[Any], prefix: str) -> str:
    for _attempt in range(20):
        code = new_code(prefix)
        if not model.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find a free code")  # 31^7 codes: practically unreachable


@transaction.atomic
def open_case(actor: User, *, survivor: dict[str, Any], incident: dict[str, Any], case: dict[str, Any],
              consent: dict[str, Any] | None = None, code: str = "") -> Case:
    """Open a case from a disclosure: the survivor, the first incident, the case's facts and, if
    it was obtained already, the consent (``record_consent``'s arguments); all or nothing."""
    s = Survivor(code=_unique_code(Survivor, "S-"), **survivor)
    s.save()
    c = Case(code=code or _unique_code(Case, "C-"), organisation_id=organisation_id_of(actor), owner=actor,
             survivor=s, **case)
    c.save()
    _add_incident(c, s, incident)
    StatusChange.objects.create(case=c, by=actor, status=CaseStatus.OPEN)
    record_access(actor, "create", c)
    if consent is not None:
        record_consent(actor, c, **consent)
    return c


def _add_incident(case: Case, survivor: Survivor, data: dict[str, Any]) -> Incident:
    n = case.incidents.count() + 1
    inc = Incident(case=case, code=f"{case.code}-{n}", **data)
    inc.derive(survivor)
    inc.save()
    return inc


@transaction.atomic
def add_incident(actor: User, case: Case, data: dict[str, Any]) -> Incident:
    _require_active(case)
    inc = _add_incident(case, case.survivor, data)
    record_access(actor, "add_incident", case, detail={"incident": inc.code})
    return inc


@transaction.atomic
def update_survivor(actor: User, case: Case, data: dict[str, Any]) -> Survivor:
    _require_active(case)
    s = case.survivor
    for k, v in data.items():
        setattr(s, k, v)
    s.save()
    # Age and sex travel with each incident: keep them current.
    for inc in case.incidents.all():
        inc.derive(s)
        inc.save()
    record_access(actor, "update_survivor", case)
    return s


@transaction.atomic
def set_risk_level(actor: User, case: Case, level: int | None, assessed_on: date | None) -> None:
    """Record the level written on the official risk form (never computed by Ruta)."""
    Case.objects.filter(pk=case.pk).update(risk_level=level, risk_assessed_on=assessed_on)
    case.risk_level, case.risk_assessed_on = level, assessed_on
    record_access(actor, "set_risk_level", case, detail={"risk_level": level})


def current_consent(case: Case) -> Consent | None:
    return case.consents.filter(withdrawn_at__isnull=True).order_by("-recorded_at", "-id").first()


@transaction.atomic
def record_consent(actor: User, case: Case, *, given_by: str, child_assent: bool, for_services: bool,
                   for_sharing: bool, for_statistics: bool, given_on: date) -> Consent:
    _require_active(case)
    age = case.survivor.age_on(given_on)
    if age is not None and age < 18 and given_by == ConsentGiver.SURVIVOR:
        raise CaseActionError(_("The survivor is under 18: consent comes from a parent or guardian, "
                                "with the child's assent."))
    if given_by == ConsentGiver.GUARDIAN and not child_assent:
        raise CaseActionError(_("With a guardian's consent the child's assent is needed too. Without it, "
                                "a supervisor can authorise referrals with a recorded reason."))
    now = timezone.now()
    # A new consent replaces the one in force.
    case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_by=actor)
    consent = Consent.objects.create(
        case=case, given_by=given_by, child_assent=child_assent, for_services=for_services,
        for_sharing=for_sharing, for_statistics=for_statistics, given_on=given_on, recorded_by=actor,
        recorded_at=now,
    )
    record_access(actor, "record_consent", case, detail={
        "services": for_services, "sharing": for_sharing, "statistics": for_statistics})
    return consent


@transaction.atomic
def withdraw_consent(actor: User, case: Case) -> None:
    n = case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now(), withdrawn_by=actor)
    if not n:
        raise CaseActionError(_("There is no consent in force to withdraw."))
    record_access(actor, "withdraw_consent", case)


@transaction.atomic
def refer(actor: User, case: Case, *, step_code: str, due_at: datetime, service: Service | None = None,
          service_name: str = "", institution: str = "", mandatory: bool = False, rules_version: str = "",
          override_reason: str = "") -> Referral:
    """Refer the survivor to a service. Needs consent to services and sharing, or a supervisor's
    override with its reason recorded."""
    _require_active(case)
    _check_kit_window(case, step_code, due_at)
    consent = current_consent(case)
    override_reason = (override_reason or "").strip()
    if consent is None or not consent.covers_referrals:
        if not policy.can_override_consent(actor, case):
            raise ConsentRequired(_("This referral needs the survivor's consent to services and to sharing "
                                    "information, or a supervisor's authorisation with a reason."))
        if not override_reason:
            raise ConsentRequired(_("Write why the referral goes ahead without consent."))
        consent = None
    else:
        override_reason = ""
    now = timezone.now()
    referral = Referral(
        case=case, organisation_id=case.organisation_id, step_code=step_code, due_at=due_at, mandatory=mandatory,
        rules_version=rules_version, institution=institution or (service.kind if service is not None else ""),
        service_name=service_name or (str(service) if service is not None else ""), consent=consent,
        override_by=actor if override_reason else None, override_reason=override_reason or None,
        created_by=actor, created_at=now, updated_by=actor, updated_at=now,
    )
    if service is not None:
        referral.service = service
    referral.save()
    ReferralUpdate.objects.create(referral=referral, at=now, by=actor, status=referral.status, due_at=due_at)
    _refresh_deadlines(case)
    record_access(actor, "refer", case, detail={"step": step_code, "override": bool(override_reason)})
    return referral


@dataclass(frozen=True)
class ProposedReferral:
    """One step of the pathway's plan that the worker takes, as they adjusted it."""

    step_code: str
    due_at: datetime
    service: Service | None
    institution: str
    mandatory: bool


@transaction.atomic
def accept_proposal(actor: User, case: Case, proposed: Sequence[ProposedReferral], *, rules_version: str,
                    override_reason: str = "") -> list[Referral]:
    """Refer the survivor to every step the worker took from the pathway's plan, all or none,
    and keep which version of the rules made the plan."""
    if not proposed:
        raise CaseActionError(_("Choose at least one referral, or go back to the case."))
    now = timezone.now()
    if any(p.due_at < now for p in proposed):
        # A referral born overdue helps nobody: the worker sets a time still ahead, or records
        # the missed step in a note.
        raise CaseActionError(_("A chosen referral is due at a time already past. Choose a time from now on."))
    referrals = [
        refer(actor, case, step_code=p.step_code, due_at=p.due_at, service=p.service,
              service_name=p.service.name if p.service else "", institution=p.institution,
              mandatory=p.mandatory, rules_version=rules_version, override_reason=override_reason)
        for p in proposed]
    version = rules_version[:40]
    Case.objects.filter(pk=case.pk).update(pathway_rules_version=version)
    case.pathway_rules_version = version
    record_access(actor, "accept_proposal", case, detail={"referrals": len(referrals), "rules_version": version})
    return referrals


@transaction.atomic
def update_referral(actor: User, referral: Referral, *, expected_version: int, status: str, due_at: datetime,
                    outcome: str | None, note: str = "") -> Referral:
    """Change a referral's status, deadline or outcome if nobody changed it since ``expected_version``."""
    case = referral.case
    _require_active(case)
    if due_at != referral.due_at:
        _check_kit_window(case, referral.step_code, due_at)
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": status, "due_at": due_at, "outcome": outcome or None, "updated_by": actor, "updated_at": now,
        "version": F("version") + 1,
    }
    if due_at != referral.due_at:
        changes["alert_stage"] = 0  # a new deadline gets its own alerts
    updated = Referral.objects.filter(pk=referral.pk, version=expected_version).update(**changes)
    if not updated:
        raise StaleReferral(Referral.objects.select_related("updated_by").get(pk=referral.pk))
    ReferralUpdate.objects.create(referral_id=referral.pk, at=now, by=actor, status=status,
                                  due_at=due_at, note=note.strip() or None)
    _refresh_deadlines(case)
    record_access(actor, "update_referral", case, detail={"referral": referral.pk, "status": status})
    return Referral.objects.get(pk=referral.pk)


@transaction.atomic
def record_followup(actor: User, case: Case, *, done_on: date, note: str, next_at: datetime | None) -> FollowUp:
    _require_active(case)
    fu = FollowUp.objects.create(case=case, done_on=done_on, note=note.strip() or None, next_at=next_at, by=actor)
    Case.objects.filter(pk=case.pk).update(next_followup_at=next_at, followup_alert_stage=0)
    case.next_followup_at = next_at
    record_access(actor, "followup", case)
    return fu


@transaction.atomic
def assign(actor: User, case: Case, users: list[User]) -> None:
    if not policy.can_assign(actor, case):
        raise CaseActionError(_("Only a case supervisor of this organisation assigns workers."))
    wanted = {u.pk for u in users if u.organisation_id == case.organisation_id and policy.is_caseworker(u)}
    CaseAssignment.objects.filter(case=case).exclude(user_id__in=wanted).delete()
    have = set(CaseAssignment.objects.filter(case=case).values_list("user_id", flat=True))
    CaseAssignment.objects.bulk_create([CaseAssignment(case=case, user_id=u) for u in wanted - have])
    record_access(actor, "assign", case, detail={"users": sorted(wanted)})


@transaction.atomic
def request_closure(actor: User, case: Case, *, reason: str, note: str) -> Closure:
    _require_active(case)
    _require_no_pending_referral(case)
    try:
        with transaction.atomic():
            closure = Closure.objects.create(case=case, reason=reason, note=note.strip() or None,
                                             requested_by=actor)
    except IntegrityError:
        raise CaseActionError(_("A request to close this case is already waiting for approval.")) from None
    record_access(actor, "request_closure", case, detail={"reason": reason})
    return closure


@transaction.atomic
def decide_closure(actor: User, closure: Closure, *, approve: bool, note: str) -> None:
    case = closure.case
    if not policy.can_decide_closure(actor, case):
        raise CaseActionError(_("Only a case supervisor of this organisation approves a closure."))
    if closure.requested_by_id == actor.pk:
        raise CaseActionError(_("A closure is decided by another person than the one who asked for it."))
    if approve:  # a referral added after the request must end before the case closes
        _require_no_pending_referral(case)
    now = timezone.now()
    decision = ClosureDecision.APPROVED if approve else ClosureDecision.REJECTED
    n = Closure.objects.filter(pk=closure.pk, decision=ClosureDecision.PENDING).update(
        decision=decision, decided_by=actor, decided_at=now, decision_note=note.strip() or None)
    if not n:
        raise CaseActionError(_("This request was already decided."))
    if approve:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=now, next_followup_at=None)
        StatusChange.objects.create(case=case, at=now, by=actor, status=CaseStatus.CLOSED,
                                    reason=closure.get_reason_display())
    record_access(actor, "decide_closure", case, detail={"approved": approve})


@transaction.atomic
def reopen(actor: User, case: Case, *, reason: str) -> None:
    if case.is_active:
        raise CaseActionError(_("The case is already open."))
    if not reason.strip():
        raise CaseActionError(_("Write why the case is reopened."))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.REOPENED, closed_at=None)
    StatusChange.objects.create(case=case, by=actor, status=CaseStatus.REOPENED, reason=reason.strip())
    record_access(actor, "reopen", case)


@transaction.atomic
def request_erasure(actor: Any, case: Case) -> ErasureRequest:
    """The survivor (or their guardian) asked for their data to be erased: another person, a case
    supervisor of the organisation, approves it (:func:`decide_erasure`)."""
    if case.survivor.erased_at is not None:
        raise CaseActionError(_("This survivor's identifying data was already erased."))
    try:
        with transaction.atomic():
            req = ErasureRequest.objects.create(case=case, requested_by=actor)
    except IntegrityError:
        raise CaseActionError(_("A request to erase this survivor's data is already waiting for approval.")) from None
    record_access(actor, "request_erasure", case)
    return req


@transaction.atomic
def decide_erasure(actor: Any, req: ErasureRequest, *, approve: bool) -> bool | None:
    """Approve (erase now) or refuse a request. Returns whether the incidents were kept, or None
    when refused."""
    case = req.case
    if not policy.can_decide_erasure(actor, case):
        raise CaseActionError(_("Only a case supervisor of this organisation approves an erasure."))
    try:
        decide_once(req, actor, approve=approve, approved=ErasureDecision.APPROVED,
                    rejected=ErasureDecision.REJECTED,
                    same_person=_("An erasure is approved by another person than the one who asked for it."),
                    already=_("This request was already decided."))
    except FourEyesError as e:
        raise CaseActionError(str(e)) from None
    record_access(actor, "decide_erasure", case, detail={"approved": approve})
    if not approve:
        return None
    keep = erase_survivor(case)
    record_access(actor, "erase", case, detail={"incidents_kept": keep, "requested_by": req.requested_by_id})
    return keep


def erase_survivor(case: Case) -> bool:
    """Remove every identifying datum and free text of the case. The incidents stay,
    de-identified, only if the survivor consented to statistics (only those count in any
    figure, ``ruta.stats.programme``), so no figure changes. Returns whether they were kept.
    The caller audits (:func:`decide_erasure`; retention: ``ruta.retention``)."""
    s = case.survivor
    Survivor.objects.filter(pk=s.pk).update(
        given_names=None, family_names=None, document_number=None, document_hash="", phone=None, address=None,
        guardian_contact=None, birth_date=None, age_years=None, gender_identity="", erased_at=timezone.now())
    SurvivorNamePart.objects.filter(survivor=s).delete()
    keep = case.consents.filter(withdrawn_at__isnull=True, for_statistics=True).exists()
    if keep:
        Incident.objects.filter(case=case).update(narrative=None)
    else:
        Incident.objects.filter(case=case).delete()
    Referral.objects.filter(case=case).update(outcome=None, override_reason=None)
    ReferralUpdate.objects.filter(referral__case=case).update(note=None)
    FollowUp.objects.filter(case=case).update(note=None)
    StatusChange.objects.filter(case=case).update(reason=None)
    Closure.objects.filter(case=case).update(note=None, decision_note=None)
    return keep


@transaction.atomic
def reassign_open_cases(actor: Any, from_user: Any, to_user: Any) -> int:
    """Hand every open case ``from_user`` owns to ``to_user`` (before they leave case work).
    Returns how many cases moved."""
    if not policy.can_reassign_from(actor, from_user):
        raise CaseActionError(_("Only a case supervisor of this organisation reassigns cases."))
    if to_user.pk == from_user.pk or not (policy.works_on_cases(to_user)
                                          and to_user.organisation_id == from_user.organisation_id):
        raise CaseActionError(_("Choose another active case worker or supervisor of this organisation."))
    ids = list(Case.objects.filter(owner=from_user, organisation_id=from_user.organisation_id, **ACTIVE)
               .values_list("id", flat=True))
    Case.objects.filter(id__in=ids).update(owner=to_user)
    for case_id in ids:
        record_access(actor, "reassign", object_type="cases.case", object_id=case_id,
                      detail={"from": from_user.pk, "to": to_user.pk})
    return len(ids)


def open_cases_owned(user: Any) -> int:
    return Case.objects.filter(owner=user, organisation_id=user.organisation_id, **ACTIVE).count()


def _check_kit_window(case: Case, step_code: str, due_at: datetime) -> None:
    """The emergency kit works only within 72 hours of the incident: no deadline after that."""
    if step_code != "health_emergency_kit":
        return
    from ruta.cases.pathway import incident_for_plan

    incident = incident_for_plan(case, timezone.now())
    if incident is None:
        return
    closes = incident.kit_window_closes()
    if due_at > closes:
        when = date_format(timezone.localtime(closes), "DATETIME_FORMAT")
        raise CaseActionError(_("The emergency kit must be given within 72 hours of the incident, that is by "
                                "%(when)s. After that, refer to health care instead.") % {"when": when})


def _require_active(case: Case) -> None:
    if not case.is_active:
        raise CaseActionError(_("This case is closed. Reopen it to make changes."))


def _require_no_pending_referral(case: Case) -> None:
    if case.referrals.filter(status__in=PENDING_REFERRAL_STATUSES).exists():
        raise CaseActionError(_("Some referrals are still requested or accepted. Record how each one ended "
                                "(attended, declined or cancelled) before asking to close the case."))


def _refresh_deadlines(case: Case) -> None:
    nxt = case.referrals.filter(status__in=PENDING_REFERRAL_STATUSES).aggregate(m=Min("due_at"))["m"]
    Case.objects.filter(pk=case.pk).update(next_referral_due_at=nxt)
    case.next_referral_due_at = nxt
