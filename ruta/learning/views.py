"""Staff pages of live tests: open one for an activity, follow it live, admit phones, close."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.learning import actions
from ruta.learning.actions import LearningActionError
from ruta.learning.codes import SessionState
from ruta.learning.models import Course, LiveSession, Seat
from ruta.learning.policy import (
    can_run_tests,
    can_see_reports,
    get_session_for_user,
    get_test_activity_for_user,
    report_programmes,
)
from ruta.learning.queries import live_state
from ruta.learning.report import DIMENSIONS, Report
from ruta.learning.report import build as build_report
from ruta.program.models import Phase


@staff_view(can_run_tests, deny=404)
def start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_test_activity_for_user(request.user, pk)
    courses = list(Course.objects.filter(active=True))
    error = ""
    if request.method == "POST":
        course = next((c for c in courses if c.code == request.POST.get("course")), None)
        try:
            if course is None:
                raise LearningActionError(_("Choose a course."))
            session = actions.open_session(request.user, activity, course, request.POST.get("phase", ""))
        except LearningActionError as exc:
            error = str(exc)
        else:
            return redirect("learning:live", pk=session.pk)
    open_session = LiveSession.objects.filter(activity=activity, state=SessionState.OPEN).first()
    past = LiveSession.objects.filter(activity=activity, state=SessionState.CLOSED).select_related("version__course")
    lang = (get_language() or "es")[:2]
    return render(request, "learning/staff/start.html", {
        "activity": activity, "courses": [(c.code, c.title(lang)) for c in courses], "phases": Phase.choices,
        "open_session": open_session, "past": past, "error": error,
        "suggested": next((c.code for c in courses if activity.target_group in c.groups), ""),
    }, status=400 if error else 200)


def _live_context(request: AuthenticatedHttpRequest, session: LiveSession) -> dict[str, object]:
    return live_state(session, (get_language() or "es")[:2])


@staff_view(can_run_tests, deny=404)
def live(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    join_url = request.build_absolute_uri("/t/")
    return render(request, "learning/staff/live.html", {**_live_context(request, session), "join_url": join_url})


@staff_view(can_run_tests, deny=404)
def live_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    return render(request, "learning/staff/_live.html", _live_context(request, session))


@staff_view(can_run_tests, deny=404)
def seat_decide(request: AuthenticatedHttpRequest, pk: int, seat: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    if request.method == "POST":
        target = get_object_or_404(Seat, session=session, pk=seat)
        try:
            actions.admit(request.user, target, admitted=request.POST.get("decision") != "refuse")
        except LearningActionError as exc:
            messages.error(request, str(exc))
    if request.headers.get("HX-Request"):
        return render(request, "learning/staff/_live.html", _live_context(request, session))
    return redirect("learning:live", pk=session.pk)


@staff_view(can_run_tests, deny=404)
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("learning:live", pk=session.pk)
    try:
        written = actions.close_session(request.user, session)
    except LearningActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext("Test closed. %(n)d result saved to the activity.",
                                           "Test closed. %(n)d results saved to the activity.",
                                           written) % {"n": written})
    return redirect("learning:start", pk=session.activity_id)


# --- Reports ------------------------------------------------------------------------------------

@staff_view(can_see_reports, deny=404)
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    lang = (get_language() or "es")[:2]
    courses = [(c.code, c.title(lang)) for c in Course.objects.all()]
    return render(request, "learning/staff/reports.html", {"courses": courses})


def _report(request: AuthenticatedHttpRequest, code: str) -> Report:
    course = get_object_or_404(Course, code=code[:40])
    return build_report(course, report_programmes(request.user), request.GET.get("por", ""),
                        (get_language() or "es")[:2])


@staff_view(can_see_reports, deny=404)
def report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    data = _report(request, code)
    return render(request, "learning/staff/report.html", {
        "report": data, "dimensions": list(DIMENSIONS.items()),
        "title": data.course.title((get_language() or "es")[:2])})


@staff_view(can_see_reports, deny=404)
def report_export(request: AuthenticatedHttpRequest, code: str, fmt: str) -> HttpResponse:
    data = _report(request, code)
    tables = [(str(_("Questions")), data.question_header, data.question_rows),
              (str(_("Objectives")), data.objective_header, data.objective_rows)]
    name = f"ruta-{data.course.code}-{data.by or 'all'}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        for title, header, rows in tables:
            writer.writerow([title])
            writer.writerow(header)
            writer.writerows(rows)
            writer.writerow([])
        return response
    if fmt != "xlsx":
        raise Http404
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for title, header, rows in tables:
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, header)
        for i, row in enumerate(rows, 1):
            sheet.write_row(i, 0, row)
    book.close()
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- Paper ----------------------------------------------------------------------------------------

@staff_view(can_run_tests, deny=404)
def paper(request: AuthenticatedHttpRequest, code: str, form: str, sheet: str) -> HttpResponse:
    from ruta.learning.paper import pdf

    course = get_object_or_404(Course, code=code[:40], active=True)
    if form not in ("A", "B") or sheet not in ("prueba", "clave") or course.current_version() is None:
        raise Http404
    body = pdf(course, form, (get_language() or "es")[:2], key=sheet == "clave")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ruta-{course.code}-{form}-{sheet}.pdf"'
    return response


@staff_view(can_run_tests, deny=404)
def paper_entry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Type a group's paper answers: for each person on the roster, the form and the letters."""
    activity = get_test_activity_for_user(request.user, pk)
    lang = (get_language() or "es")[:2]
    source = request.POST if request.method == "POST" else request.GET
    active = list(Course.objects.filter(active=True))
    course = next((c for c in active if c.code == source.get("curso", "")[:40]), None) \
        or next((c for c in active if activity.target_group in c.groups), None) \
        or (active[0] if active else None)
    phase = source.get("fase", "pre") if source.get("fase") in Phase.values else "pre"
    roster = actions.roster_for_staff(activity)
    version = course.current_version() if course else None
    size = len(version.form_questions("A")) if version else 0
    error = ""
    if request.method == "POST" and course is not None:
        rows: dict[int, tuple[str, list[str]]] = {}
        for person_pk, _label in roster:
            form = request.POST.get(f"f{person_pk}", "")
            if form:
                rows[person_pk] = (form, [request.POST.get(f"a{person_pk}_{n}", "")[:10] for n in range(1, size + 1)])
        try:
            if not rows:
                raise LearningActionError(_("Choose form A or B for each person who took the test."))
            written = actions.record_paper(request.user, activity, course, phase, rows)
        except LearningActionError as exc:
            error = str(exc)
        else:
            messages.success(request, ngettext("Paper answers saved: %(n)d result.",
                                               "Paper answers saved: %(n)d results.", written) % {"n": written})
            return redirect("learning:start", pk=activity.pk)
    return render(request, "learning/staff/paper_entry.html", {
        "activity": activity, "courses": [(c.code, c.title(lang)) for c in active],
        "course": course, "phase": phase, "phases": Phase.choices, "numbers": range(1, size + 1), "error": error,
        "rows": [(person_pk, name, request.POST.get(f"f{person_pk}", ""),
                  [(n, request.POST.get(f"a{person_pk}_{n}", "")[:10]) for n in range(1, size + 1)])
                 for person_pk, name in roster],
    }, status=400 if error else 200)
