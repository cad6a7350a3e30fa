"""The facilitator's screens: record an activity and its attendance (search as you type,
add a new participant inline), and enter a group's pre/post test sheet. Every screen works
as plain forms without JavaScript; htmx only makes search live and posts without reloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.models import User
from ruta.accounts.policy import staff_view
from ruta.lib.ids import parse_id
from ruta.program import actions, summaries
from ruta.program.dashboard import target_progress
from ruta.program.forms import (
    ActivityForm,
    ParticipantForm,
    ProgrammeForm,
    SearchForm,
    SheetChoiceForm,
    SheetForm,
    TargetForm,
    unparse_answers,
)
from ruta.program.indicators import Filters, build_cubes
from ruta.program.models import (
    Activity,
    AssessmentResult,
    Attendance,
    Instrument,
    Participant,
    Phase,
    Target,
    age_band,
    age_on,
)
from ruta.program.policy import (
    activities_for,
    can_export_records,
    can_import,
    can_manage_programme,
    can_merge_duplicates,
    can_record,
    can_see_dashboard,
    can_see_people,
    can_use_program,
    get_activity_for_user,
    get_programme_for_user,
    programmes_for,
    recording_programmes_for,
    sees_names,
)
from ruta.program.search import find_participants, similar_people


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _post_ids(request: HttpRequest, name: str = "participant") -> list[int]:
    ids = []
    for raw in request.POST.getlist(name):
        pk = parse_id(raw)
        if pk is None:
            raise Http404
        ids.append(pk)
    return ids


@staff_view(can_use_program)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(programmes_for(user).order_by("-starts_on"))
    recent: list[Activity] = []
    if can_record(user):
        # The latest 20 first, then their attendance: never a count over every activity.
        ids = list(activities_for(user).order_by("-date", "-pk").values_list("pk", flat=True)[:20])
        present = dict(
            Attendance.objects.filter(activity_id__in=ids).values("activity_id").annotate(n=Count("pk"))
            .values_list("activity_id", "n")
        )
        recent = list(Activity.objects.filter(pk__in=ids).select_related("district").order_by("-date", "-pk"))
        for activity in recent:
            activity.present = present.get(activity.pk, 0)  # type: ignore[attr-defined]
    return render(request, "program/home.html", {
        "programmes": programmes, "recent": recent, "can_record": can_record(user),
        "can_see_dashboard": can_see_dashboard(user), "can_see_people": can_see_people(user),
        "can_manage": can_manage_programme(user), "can_import": can_import(user),
        "can_merge": can_merge_duplicates(user), "can_export": can_export_records(user),
    })


@staff_view(can_record, deny=404)
def activity_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(recording_programmes_for(request.user), pk=pk)
    form = ActivityForm(request.POST or None, user=request.user, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.record_activity(
                programme, form.activity_fields(), facilitators=form.cleaned_data["facilitators"],
                participant_ids=[], actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Activity saved. Now add who attended."))
            return redirect("program:activity", pk=activity.pk)
    return render(request, "program/activity_form.html", {"form": form, "programme": programme})


@staff_view(can_record, deny=404)
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    initial = {
        "type": activity.type, "title": activity.title, "date": activity.date,
        "duration_minutes": activity.duration_minutes, "district": activity.district_id,
        "place": activity.place, "target_group": activity.target_group, "topics": activity.topics,
        "facilitators": list(activity.facilitators.values_list("pk", flat=True)),
    }
    form = ActivityForm(request.POST or None, initial=initial, user=request.user, programme=activity.programme)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(activity, form.activity_fields(), facilitators=form.cleaned_data["facilitators"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Activity updated."))
            return redirect("program:activity", pk=activity.pk)
    return render(request, "program/activity_form.html",
                  {"form": form, "programme": activity.programme, "activity": activity})


def _name(user: Any, person: Participant) -> str:
    """The person's name, or "" for a role that never sees names (templates show the code)."""
    return person.name if sees_names(user) else ""


def _attendance_rows(activity: Activity, user: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in Participant.objects.filter(attendance__activity=activity).order_by("code"):
        age = age_on(p.birth_date, activity.date)
        rows.append({"pk": p.pk, "code": p.code, "name": _name(user, p), "age": age, "band": age_band(age),
                     "sex": p.get_sex_display(), "group": p.get_group_display()})
    rows.sort(key=lambda r: (r["name"].casefold(), r["code"]))
    return rows


def _recent_participants(activity: Activity, user: User, present: set[int]) -> list[dict[str, Any]]:
    """People from the same user's last few activities of this programme: one tap adds the
    regulars of a series of sessions."""
    last = list(
        activities_for(user).filter(programme=activity.programme, date__lte=activity.date)
        .exclude(pk=activity.pk).order_by("-date", "-pk").values_list("pk", flat=True)[:3]
    )
    if not last:
        return []
    people = (
        Participant.objects.filter(attendance__activity_id__in=last, merged_into__isnull=True)
        .exclude(pk__in=present).distinct()
    )
    rows: list[dict[str, Any]] = [
        {"pk": p.pk, "code": p.code, "name": _name(user, p), "age": age_on(p.birth_date, activity.date),
         "school": p.organisation} for p in people[:60]]
    rows.sort(key=lambda r: (r["name"].casefold(), r["code"]))
    return rows


def _activity_page(request: AuthenticatedHttpRequest, activity: Activity, *, search: SearchForm | None = None,
                   found: list[Any] | None = None, new_form: ParticipantForm | None = None,
                   similar: list[Any] | None = None, status: int = 200) -> HttpResponse:
    rows = _attendance_rows(activity, request.user)
    present = {r["pk"] for r in rows}
    return render(request, "program/activity.html", {
        "activity": activity,
        "programme": activity.programme,
        "rows": rows,
        "recent": _recent_participants(activity, request.user, present),
        "search": search or SearchForm(),
        "found": found,
        "new_form": new_form or ParticipantForm(user=request.user, first_district=activity.district_id, initial={
            "district": activity.district_id, "group": activity.target_group}),
        "sheet_form": SheetChoiceForm(programme=activity.programme),
        "has_tests": Instrument.objects.filter(programme=activity.programme)
        .exclude(code__startswith="learning-").exists(),
        "facilitators": activity.facilitators.order_by("first_name"),
        "similar": similar,
    }, status=status)


@staff_view(can_record, deny=404)
def activity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, get_activity_for_user(request.user, pk))


@staff_view(can_record, deny=404)
def activity_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("program:activity", pk=pk)
    activity = get_activity_for_user(request.user, pk)
    search = SearchForm(request.POST)
    found: list[Any] = []
    if search.is_valid():
        present = set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True))
        found = find_participants(activity.programme, search.cleaned_data["q"], district_id=activity.district_id,
                                  exclude=present, today=timezone.localdate(), by_name=sees_names(request.user))
    if _is_htmx(request) and request.headers.get("HX-Target") == "search-results":
        return render(request, "program/_search_results.html", {"activity": activity, "found": found,
                                                                 "searched": bool(search.data.get("q"))})
    return _activity_page(request, activity, search=search, found=found)


@staff_view(can_record, deny=404)
def attendance_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("program:activity", pk=pk)
    activity = get_activity_for_user(request.user, pk)
    ids = _post_ids(request)
    if ids:
        try:
            actions.set_attendance(activity, {*Attendance.objects.filter(activity=activity).values_list(
                "participant_id", flat=True), *ids})
        except ValidationError:
            raise Http404 from None
        messages.success(request, _("Attendance saved."))
    return redirect("program:activity", pk=pk)


@staff_view(can_record, deny=404)
def attendance_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("program:activity", pk=pk)
    activity = get_activity_for_user(request.user, pk)
    ids = set(_post_ids(request))
    if ids:
        present = set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True))
        actions.set_attendance(activity, present - ids)
        messages.success(request, _("Attendance saved."))
    return redirect("program:activity", pk=pk)


@staff_view(can_record, deny=404)
def participant_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("program:activity", pk=pk)
    activity = get_activity_for_user(request.user, pk)
    form = ParticipantForm(request.POST, user=request.user, first_district=activity.district_id)
    if form.is_valid() and not form.cleaned_data.get("confirm_new"):
        # Search before registering: the same person with a similar name, born within a year, in
        # the same district or school. The facilitator marks them present, or confirms a new person.
        similar = similar_people(
            activity.programme, name=form.cleaned_data.get("name") or "",
            birth_year=form.birth_year(activity.date), district_id=form.cleaned_data["district"].pk,
            school=form.school_text(), today=timezone.localdate(),
            by_name=sees_names(request.user))
        if similar:
            return _activity_page(request, activity, new_form=form, similar=similar)
    if form.is_valid():
        try:
            person = actions.register_participant(activity.programme, form.new_participant(activity.date),
                                                  actor=request.user)
            actions.add_attendance(activity, person)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Participant %(code)s registered and marked present.") % {"code": person.code})
            return redirect("program:activity", pk=pk)
    return _activity_page(request, activity, new_form=form)


# --- Test sheets --------------------------------------------------------------------------------

@staff_view(can_record, deny=404)
def sheet_choose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    form = SheetChoiceForm(request.GET or None, programme=activity.programme)
    if form.is_valid():
        return redirect("program:sheet", pk=pk, instrument=form.cleaned_data["instrument"].pk,
                        phase=form.cleaned_data["phase"])
    return _activity_page(request, activity)


@staff_view(can_record, deny=404)
def sheet(request: AuthenticatedHttpRequest, pk: int, instrument: int, phase: str) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    test = get_object_or_404(Instrument.objects.exclude(code__startswith="learning-"), pk=instrument,
                             programme=activity.programme)
    if phase not in Phase.values:
        raise Http404
    people = list(Participant.objects.filter(attendance__activity=activity).order_by("code"))
    existing = {
        r.participant_id: r for r in AssessmentResult.objects.filter(
            participant__in=people, instrument_code=test.code, phase=phase)
    }
    prior = {pid: unparse_answers(r.answers.get("answers", {}), test.item_ids)
             for pid, r in existing.items() if r.instrument_id == test.pk}
    form = SheetForm(request.POST if request.method == "POST" else None, instrument=test, people=people,
                     prior=prior, default_day=activity.date)
    if form.is_bound and form.is_valid():
        saved = actions.record_sheet(test, phase=phase, taken_on=form.cleaned_data["taken_on"],
                                     sheet=form.cleaned_data["sheet"], activity=activity, actor=request.user)
        messages.success(request, _("%(n)d results saved.") % {"n": len(saved)})
        return redirect("program:sheet", pk=pk, instrument=test.pk, phase=phase)
    for error in [*form.non_field_errors(), *form["taken_on"].errors]:
        messages.error(request, str(error))
    rows = sorted(({"pk": p.pk, "field": f"p{p.pk}", "code": p.code, "name": _name(request.user, p),
                    "text": form[f"p{p.pk}"].value() or "", "error": " ".join(map(str, form[f"p{p.pk}"].errors)),
                    "score": f"{existing[p.pk].score_percent:.0f} %" if p.pk in existing else ""}
                   for p in people), key=lambda r: (str(r["name"]).casefold(), str(r["code"])))
    key = test.answer_key.get("answers", {})
    return render(request, "program/sheet.html", {
        "activity": activity, "test": test, "phase": phase, "phase_label": Phase(phase).label,
        "rows": rows, "items": [{"id": i, "answer": key.get(i, "")} for i in test.item_ids],
        "taken_on": form.cleaned_data.get("taken_on", activity.date) if form.is_bound else activity.date,
        "n_items": len(test.item_ids),
    }, status=400 if form.is_bound and not _is_htmx(request) else 200)


# --- People (coordinator and M&E) -------------------------------------------------------------

@staff_view(can_see_people, deny=404)
def participants(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    qs = (Participant.objects.filter(programme=programme, merged_into__isnull=True)
          .select_related("district").order_by("code"))
    code = request.GET.get("code", "").strip()
    if code:
        qs = qs.filter(code__istartswith=code)
    page = Paginator(qs.only("code", "sex", "birth_date", "group", "district__name", "organisation",
                             "sessions_attended", "first_attended_on"), 50).get_page(request.GET.get("page"))
    return render(request, "program/participants.html", {"programme": programme, "page": page, "code": code})


# --- Programme settings and targets (coordinator and M&E) --------------------------------------

@staff_view(can_manage_programme, deny=404)
def programme_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    department = request.user.department_code
    which = request.POST.get("form") if request.method == "POST" else None
    programme_form = ProgrammeForm(request.POST if which == "programme" else None, instance=programme)
    target_form = TargetForm(request.POST if which == "target" else None, department=department)
    if which == "programme" and programme_form.is_valid():
        programme_form.save()
        # A new completion threshold lists all the programme's people for the monthly summaries.
        summaries.settle_in_steps()
        messages.success(request, _("Programme saved."))
        return redirect("program:settings", pk=pk)
    if which == "target" and target_form.is_valid():
        d = target_form.cleaned_data
        actions.save_target(programme, indicator=d["indicator"], value=d["value"], sex=d.get("sex") or "",
                            age_band=d.get("age_band") or "", group=d.get("group") or "",
                            province_id=d["province"].pk if d.get("province") else None, plan=d.get("plan") or [])
        messages.success(request, _("Target saved."))
        return redirect("program:settings", pk=pk)
    # Each target with where it stands today (the same figures as the dashboard's, unsuppressed).
    whole = Filters.for_programme(programme)
    targets = target_progress(programme, build_cubes(programme, whole), whole, people=None)
    bound = programme_form if which == "programme" else target_form
    status = 400 if which and not bound.is_valid() else 200
    return render(request, "program/settings.html", {"programme": programme, "programme_form": programme_form,
                                                     "target_form": target_form, "targets": targets}, status=status)


@staff_view(can_manage_programme, deny=404)
def target_remove(request: AuthenticatedHttpRequest, pk: int, target: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("program:settings", pk=pk)
    found = Target.objects.filter(pk=target, programme=programme).first()
    if found is not None:  # removing twice (a double tap) is not an error
        actions.remove_target(found)
    messages.success(request, _("Target removed."))
    return redirect("program:settings", pk=pk)
