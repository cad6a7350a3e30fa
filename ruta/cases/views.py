"""Case work pages. Views parse and check; ``actions`` change; ``policy`` decides who sees what.

Every page that shows a case's content writes an access event (``_case_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.audit.actions import record_access
from ruta.audit.models import AccessEvent
from ruta.cases import actions, export, policy, queries, timeline
from ruta.cases.codes import ClosureDecision, ErasureDecision
from ruta.cases.forms import (
    AssignForm,
    CaseFactsForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ConsentForm,
    ErasureDecisionForm,
    ErasureRequestForm,
    ExportForm,
    FollowUpForm,
    IncidentForm,
    OpeningConsentForm,
    ProposalForm,
    ReasonForm,
    ReassignForm,
    ReferralForm,
    ReferralUpdateForm,
    RiskForm,
    SearchForm,
    StatusFilterForm,
    SurvivorForm,
)
from ruta.cases.models import Case, Referral
from ruta.cases.pathway import KIT_STEP, PathwayUnavailable, plan_for_case
from ruta.exports.actions import claimable, release, request_export, watermark
from ruta.exports.models import Kind as ExportKind
from ruta.exports.models import PersonExport
from ruta.lib.paging import CountedPaginator
from ruta.pathway.codes import StepCode

case_view = staff_view(policy.works_on_cases, deny=404)
supervisor_view = staff_view(policy.is_case_supervisor, deny=404)


def _case_for(request: AuthenticatedHttpRequest, code: str, page: str) -> Case:
    """The case if this user may see it (404 otherwise), recording that it was seen: every
    request of a case page may show its content (a form sent back with errors does too)."""
    case = policy.get_case_for_user(request.user, code)
    record_access(request.user, "print" if page == "print" else "view", case,
                  detail={"page": page, "method": request.method})
    return case


def _closed_guard(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse | None:
    if not case.is_active:
        messages.error(request, _("This case is closed. Reopen it to make changes."))
        return redirect("cases:detail", code=case.code)
    return None


@case_view
@never_cache
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases the user sees, newest first, filtered by status (GET). A search by case code or
    document number is POSTed, so a document number never lands in a URL, a log or the history."""
    filters = StatusFilterForm(request.GET or None)
    search = SearchForm(request.POST if request.method == "POST" else None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    cases, searched_by = queries.find_cases(request.user, status=status, q=q)
    may_see_names = policy.can_see_names(request.user)
    show_names = may_see_names and not request.session.get(HIDE_NAMES, False)
    # A search shows its first page only: past SEARCH_COUNT_BOUND matches it says "more than".
    paginator = CountedPaginator(queries.case_ids(cases), 50, counted=cases,
                                 bound=queries.SEARCH_COUNT_BOUND if q else None)
    page = paginator.get_page(1 if q else request.GET.get("page"))
    risk_labels = dict(Case._meta.get_field("risk_level").choices or [])
    page.object_list = [dict(r, risk_label=risk_labels.get(r["risk_level"], ""), name=" ".join(
        p for p in (r.get("survivor__given_names"), r.get("survivor__family_names")) if p))
        for r in queries.case_rows(list(page.object_list), names=show_names)]
    if q:
        # The query itself is never stored: it may be a document number or a name.
        record_access(request.user, "search", object_type="cases.case", object_id="",
                      detail={"by": searched_by, "results": paginator.count})
    return render(request, "cases/case_list.html", {
        "filters": filters, "search": search, "page": page, "q": q, "status": status, "now": timezone.now(),
        "show_names": show_names, "may_see_names": may_see_names})


HIDE_NAMES = "cases.hide_names"


@case_view
@require_POST
def names(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The switch that hides survivors' names in the case list (someone may be looking over the
    worker's shoulder). Kept in the session, so nothing about it goes in a URL; POSTed."""
    request.session[HIDE_NAMES] = request.POST.get("show") != "1"
    filters = StatusFilterForm(request.POST)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    url = reverse("cases:list")
    return redirect(f"{url}?status={status}" if status else url)


@case_view
@never_cache
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is due in the next 24 hours or overdue, soonest first, and the open 72-hour kit windows."""
    now = timezone.now()
    return render(request, "cases/today.html", {"now": now, **queries.today(request.user, now, _page_number(request))})


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(1000, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


@case_view
def case_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    survivor_form = SurvivorForm(post, prefix="s")
    incident_form = IncidentForm(post, prefix="i")
    facts_form = CaseFactsForm(post, prefix="c")
    consent_form = OpeningConsentForm(post, prefix="k")
    forms_ = (survivor_form, incident_form, facts_form, consent_form)
    if post is not None and all(f.is_valid() for f in forms_):
        try:
            case = actions.open_case(
                request.user, survivor=survivor_form.cleaned_data, incident=incident_form.incident_data(),
                case=facts_form.cleaned_data, consent=consent_form.consent())
        except actions.CaseActionError as e:
            consent_form.add_error(None, str(e))
        else:
            messages.success(request, _("Case %(code)s opened. Check the proposed referrals.") % {"code": case.code})
            return redirect("cases:proposal", code=case.code)
    return render(request, "cases/case_open.html", {
        "survivor_form": survivor_form, "incident_form": incident_form, "facts_form": facts_form,
        "consent_form": consent_form,
    })


@case_view
@never_cache
def case_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "case")
    return render(request, "cases/case_detail.html", _case_context(request, case))


@case_view
@never_cache
def case_print(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "print")
    return render(request, "cases/case_print.html", _case_context(request, case))


def _case_context(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    now = timezone.now()
    referrals = list(case.referrals.select_related("updated_by").order_by("due_at", "id"))
    incidents = list(case.incidents.all())
    kit = next((r for r in referrals if r.step_code == StepCode.HEALTH_EMERGENCY_KIT and r.is_pending), None)
    return {
        "case": case, "survivor": case.survivor, "incidents": incidents, "referrals": referrals,
        "consent": actions.current_consent(case), "followups": list(case.followups.select_related("by")),
        "assigned": list(case.assignments.select_related("user")),
        "pending_closure": case.closures.filter(decision=ClosureDecision.PENDING).first(),
        "pending_erasure": case.erasure_requests.filter(decision=ErasureDecision.PENDING).first(),
        "events": timeline.build(case), "now": now,
        "kit": kit, "kit_left": (kit.due_at - now) if kit else None,
        "is_supervisor": policy.is_case_supervisor(request.user),
    }


@case_view
def proposal(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The pathway's plan for this case, as referrals the worker confirms or adjusts."""
    case = _case_for(request, code, "proposal")
    if (r := _closed_guard(request, case)) is not None:
        return r
    now = timezone.now()
    try:
        plan = plan_for_case(case, now, get_language() or "es")
    except PathwayUnavailable:
        messages.error(request, _("The care pathway could not be worked out for this case. "
                                  "Add the referrals by hand."))
        return redirect("cases:referral_new", code=case.code)
    existing = set(case.referrals.exclude(status="cancelled").values_list("step_code", flat=True))
    needs_override = not _consent_covers(case)
    can_override = policy.can_override_consent(request.user, case)
    form = ProposalForm(request.POST or None, steps=plan["steps"], existing=existing,
                        override=needs_override and can_override)
    if request.method == "POST" and form.is_valid():
        try:
            chosen = actions.accept_proposal(request.user, case, form.chosen(), rules_version=plan["rules_version"],
                                             override_reason=form.cleaned_data.get("override_reason", ""))
        except actions.CaseActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, ngettext("%(n)d referral recorded.", "%(n)d referrals recorded.",
                                              len(chosen)) % {"n": len(chosen)})
            kit = next((r for r in chosen if r.step_code == KIT_STEP), None)
            if kit is not None:
                # At once, and again by e-mail before the window closes (alerts.py).
                messages.warning(request, _("Emergency kit: the 72-hour window closes on %(when)s. Ruta reminds "
                                            "you again before it closes.") % {
                    "when": date_format(timezone.localtime(kit.due_at), "SHORT_DATETIME_FORMAT")})
            return redirect("cases:detail", code=case.code)
    kit_due = next((s["due_at"] for s in form.steps if s["code"] == KIT_STEP and s["code"] not in existing), None)
    return render(request, "cases/proposal.html", {
        "case": case, "plan": plan, "form": form, "needs_override": needs_override,
        "can_override": can_override, "now": now, "kit_due": kit_due,
    })


def _consent_covers(case: Case) -> bool:
    c = actions.current_consent(case)
    return bool(c and c.covers_referrals)


@case_view
def referral_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "referral_new")
    if (r := _closed_guard(request, case)) is not None:
        return r
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.refer(request.user, case, step_code=d["step_code"], due_at=d["due_at"], service=d["service"],
                          mandatory=d["mandatory"], override_reason=d["override_reason"])
        except actions.CaseActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Referral recorded."))
            return redirect("cases:detail", code=case.code)
    return render(request, "cases/referral_new.html", {
        "case": case, "form": form, "needs_override": not _consent_covers(case),
        "can_override": policy.can_override_consent(request.user, case)})


@case_view
def referral_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    case = _case_for(request, code, "referral")
    referral = Referral.objects.filter(case=case, pk=pk).select_related("updated_by").first()
    if referral is None:
        raise Http404
    if (r := _closed_guard(request, case)) is not None:
        return r
    status = 200
    if request.method == "POST":
        form = ReferralUpdateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.update_referral(request.user, referral, expected_version=d["version"], status=d["status"],
                                        due_at=d["due_at"], outcome=d["outcome"], note=d["note"])
            except actions.StaleReferral as e:
                referral = e.current
                messages.error(request, str(e))
                form = _referral_form(referral)
                status = 409
            except actions.CaseActionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Referral updated."))
                return redirect("cases:detail", code=case.code)
    else:
        form = _referral_form(referral)
    return render(request, "cases/referral_edit.html", {"case": case, "referral": referral, "form": form},
                  status=status)


def _referral_form(referral: Referral) -> ReferralUpdateForm:
    return ReferralUpdateForm(initial={
        "version": referral.version, "status": referral.status,
        "due_at": timezone.localtime(referral.due_at), "outcome": referral.outcome or ""})


def _simple(request: AuthenticatedHttpRequest, code: str, page: str, form_class: type[Form], template: str,
            apply: Callable[[Case, dict[str, Any]], None], done: str, *,
            initial: Callable[[Case], dict[str, Any]] | None = None, active_only: bool = True,
            form_kwargs: Callable[[Case], dict[str, Any]] | None = None) -> HttpResponse:
    """A form page about one case: show it, apply it through an action, go back to the case."""
    case = _case_for(request, code, page)
    if active_only and (r := _closed_guard(request, case)) is not None:
        return r
    kwargs = form_kwargs(case) if form_kwargs else {}
    post = request.POST if request.method == "POST" else None
    form = form_class(post, initial=initial(case) if initial else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            apply(case, form.cleaned_data)
        except actions.CaseActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, done)
            return redirect("cases:detail", code=case.code)
    return render(request, template, {"case": case, "form": form})


@case_view
def consent(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.record_consent(request.user, case, **d)

    return _simple(request, code, "consent", ConsentForm, "cases/consent.html", apply, _("Consent recorded."))


@case_view
def consent_withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.withdraw_consent(request.user, case)

    return _simple(request, code, "consent_withdraw", Form, "cases/consent_withdraw.html", apply,
                   _("Consent withdrawn. New referrals need a new consent or a supervisor's authorisation."))


@case_view
def followup(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.record_followup(request.user, case, **d)

    return _simple(request, code, "followup", FollowUpForm, "cases/followup.html", apply, _("Follow-up recorded."))


@case_view
def risk(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.set_risk_level(request.user, case, d["risk_level"], d["risk_assessed_on"])

    return _simple(request, code, "risk", RiskForm, "cases/risk.html", apply, _("Risk level recorded."),
                   initial=lambda c: {"risk_level": c.risk_level, "risk_assessed_on": c.risk_assessed_on})


@case_view
def survivor_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "survivor")
    if (r := _closed_guard(request, case)) is not None:
        return r
    form = SurvivorForm(request.POST or None, instance=case.survivor, prefix="s")
    if request.method == "POST" and form.is_valid():
        actions.update_survivor(request.user, case, {k: form.cleaned_data[k] for k in form.Meta.fields})
        messages.success(request, _("Survivor's data saved."))
        return redirect("cases:detail", code=case.code)
    return render(request, "cases/survivor_edit.html", {"case": case, "form": form})


@case_view
def incident_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "incident_new")
    if (r := _closed_guard(request, case)) is not None:
        return r
    form = IncidentForm(request.POST or None, prefix="i")
    if request.method == "POST" and form.is_valid():
        inc = actions.add_incident(request.user, case, form.incident_data())
        messages.success(request, _("Incident %(code)s recorded.") % {"code": inc.code})
        return redirect("cases:detail", code=case.code)
    return render(request, "cases/incident_new.html", {"case": case, "incident_form": form})


@supervisor_view
def assign(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.assign(request.user, case, list(d["workers"]))

    return _simple(request, code, "assign", AssignForm, "cases/assign.html", apply, _("Assignments saved."),
                   initial=lambda c: {"workers": [a.user_id for a in c.assignments.all()]},
                   form_kwargs=lambda c: {"organisation_id": c.organisation_id})


@case_view
def closure_request(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.request_closure(request.user, case, **d)

    return _simple(request, code, "closure_request", ClosureRequestForm, "cases/closure_request.html", apply,
                   _("Closure requested. A supervisor will approve it."))


@supervisor_view
def closure_decide(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "closure_decide")
    closure = case.closures.filter(decision=ClosureDecision.PENDING).first()
    form = ClosureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if closure is None:
            form.add_error(None, _("There is no request to close this case."))
        else:
            try:
                actions.decide_closure(request.user, closure, approve=form.cleaned_data["approve"],
                                       note=form.cleaned_data["note"])
            except actions.CaseActionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("cases:detail", code=case.code)
    return render(request, "cases/closure_decide.html", {"case": case, "closure": closure, "form": form})


@case_view
def reopen(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.reopen(request.user, case, reason=d["reason"])

    return _simple(request, code, "reopen", ReasonForm, "cases/reopen.html", apply, _("Case reopened."),
                   active_only=False)


@supervisor_view
@never_cache
def access_log(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "access_log")
    events = (AccessEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
              .order_by("-id").values("at", "actor_username", "action", "detail")[:1000])
    return render(request, "cases/access_log.html", {"case": case, "events": events})


@case_view
def erase(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Ask to erase the survivor's identifying data; another person, a supervisor, approves."""
    def apply(case: Case, d: dict[str, Any]) -> None:
        actions.request_erasure(request.user, case)

    return _simple(request, code, "erase", ErasureRequestForm, "cases/erase.html", apply,
                   _("Erasure requested. Another case supervisor must approve it."), active_only=False)


@supervisor_view
def erase_decide(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = _case_for(request, code, "erase_decide")
    req = case.erasure_requests.filter(decision=ErasureDecision.PENDING).select_related("requested_by").first()
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if req is None:
            form.add_error(None, _("There is no request to erase this survivor's data."))
        else:
            try:
                kept = actions.decide_erasure(request.user, req, approve=form.cleaned_data["approve"])
            except actions.CaseActionError as e:
                form.add_error(None, str(e))
            else:
                if kept is None:
                    messages.success(request, _("Erasure refused: the data stays."))
                else:
                    messages.success(request, _("Identifying data erased."))
                    if not kept:
                        messages.info(request, _("No consent to statistics: the incidents were deleted too."))
                return redirect("cases:detail", code=case.code)
    return render(request, "cases/erase_decide.html", {"case": case, "request_": req, "form": form})


@staff_view(policy.is_case_supervisor, deny=404)
def reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Hand a case worker's open cases to someone else, before they leave case work."""
    from ruta.accounts.models import User

    from_user = User.objects.filter(pk=pk).first()
    if from_user is None or not policy.can_reassign_from(request.user, from_user):
        raise Http404
    form = ReassignForm(request.POST or None, from_user=from_user)
    if request.method == "POST" and form.is_valid():
        try:
            n = actions.reassign_open_cases(request.user, from_user, form.cleaned_data["to_user"])
        except actions.CaseActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, ngettext("%(n)d case reassigned.", "%(n)d cases reassigned.", n) % {"n": n})
            return redirect("cases:list")
    return render(request, "cases/reassign.html", {
        "from_user": from_user, "form": form, "open_count": actions.open_cases_owned(from_user)})


def _export_id(request: HttpRequest) -> int:
    value = request.POST.get("export_id", "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _incident_recorder(request: AuthenticatedHttpRequest, person_export: PersonExport) -> HttpResponse:
    first = date.fromisoformat(person_export.scope["from"])
    last = date.fromisoformat(person_export.scope["to"])
    data, n = export.incident_recorder_xlsx(request.user, first, last, watermark=watermark(person_export))
    release(request.user, person_export, n)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="incident-recorder-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"'
    response["X-Ruta-Rows"] = str(n)
    return response


@supervisor_view
def export_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Person-level: each export states its purpose, carries a watermark and is listed for the
    supervisors; the sixth within a day waits for another supervisor (``ruta.exports``)."""
    if request.method == "POST" and "export_id" in request.POST:
        approved = PersonExport.objects.filter(pk=_export_id(request), requested_by_id=request.user.pk,
                                               kind=ExportKind.INCIDENT_RECORDER).first()
        if approved is None or not claimable(request.user, approved):
            raise Http404
        return _incident_recorder(request, approved)
    today_ = timezone.localdate()
    form = ExportForm(request.POST or None, initial={"reported_from": today_.replace(month=1, day=1),
                                                     "reported_to": today_})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person_export = request_export(request.user, ExportKind.INCIDENT_RECORDER, {
            "from": d["reported_from"].isoformat(), "to": d["reported_to"].isoformat(),
            "url": reverse("cases:export")}, d["purpose"])
        if person_export.status == PersonExport.Status.WAITING:
            messages.info(request, _("This is your sixth export within 24 hours: it waits for another supervisor's "
                                     "approval. You will find it on the exports page."))
            return redirect("exports:list")
        return _incident_recorder(request, person_export)
    return render(request, "cases/export.html", {"form": form})
