"""Donor reports: a preview page, the PDF and XLSX downloads, and the narrative editor."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.jobs.actions import submit
from ruta.program.policy import can_import, programmes_for
from ruta.reports import render as rendering
from ruta.reports import tasks
from ruta.reports.actions import NARRATIVE_FIELDS, save_narrative
from ruta.reports.donor import Period, PeriodError, build, parse_period, quarters
from ruta.reports.forms import NarrativeForm
from ruta.reports.models import DonorNarrative
from ruta.reports.policy import (
    can_edit_narrative,
    can_export_dhis2,
    can_read_reports,
    get_report_programme_for_user,
)


def _period(request: AuthenticatedHttpRequest, programme: object) -> Period:
    return parse_period(programme, request.GET.get("start"), request.GET.get("end"))  # type: ignore[arg-type]


def _query(period: Period) -> str:
    return urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})


@staff_view(can_read_reports)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = programmes_for(request.user).order_by("-starts_on", "name")
    # The data work behind a report (imports, duplicates, exports) is one click away for
    # whoever may do it.
    return render(request, "reports/index.html", {"programmes": programmes, "can_io": can_import(request.user)})


@staff_view(can_read_reports, deny=404)
def donor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_report_programme_for_user(request.user, pk)
    try:
        period = _period(request, programme)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:donor", pk=programme.pk)
    report = build(programme, period)
    context = rendering.context(report)
    context.update({
        "programme": programme, "query": _query(period), "can_edit": can_edit_narrative(request.user),
        "periods": [(p, _query(p), p == period) for p in quarters(programme)],
    })
    return render(request, "reports/donor_report.html", context)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(can_read_reports, deny=404)
def donor_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A PDF takes WeasyPrint a while: it is written by the worker, followed on the job page."""
    programme = get_report_programme_for_user(request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    try:
        period = parse_period(programme, source.get("start"), source.get("end"))
    except PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if request.method != "POST":
        return render(request, "reports/donor_pdf.html", {"programme": programme, "period": period})
    back = reverse("reports:donor", kwargs={"pk": programme.pk}) + "?" + _query(period)
    job = submit(tasks.donor_pdf, kind="reports.donor_pdf", user=request.user, back_url=back,
                 title=_("Donor report (PDF)") + f" · {period.label}",
                 args=(programme.pk, period.start.isoformat(), period.end.isoformat()))
    return redirect("jobs:job", job_id=job.pk)


@staff_view(can_read_reports, deny=404)
def donor_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_report_programme_for_user(request.user, pk)
    try:
        period = _period(request, programme)
    except PeriodError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return _download(rendering.xlsx(build(programme, period)), XLSX, rendering.filename(programme, period, "xlsx"))


@staff_view(can_edit_narrative, deny=404)
def narrative(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_report_programme_for_user(request.user, pk)
    try:
        period = _period(request, programme)
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:donor", pk=programme.pk)
    instance = DonorNarrative.objects.filter(programme=programme, period_start=period.start,
                                             period_end=period.end).first()
    form = NarrativeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        save_narrative(programme, period, {n: form.cleaned_data[n] for n in NARRATIVE_FIELDS}, user=request.user)
        messages.success(request, _("The narrative was saved."))
        return redirect(reverse("reports:donor", kwargs={"pk": programme.pk}) + "?" + _query(period))
    return render(request, "reports/narrative.html",
                  {"programme": programme, "period": period, "form": form, "query": _query(period)},
                  status=422 if form.errors else 200)


@staff_view(can_export_dhis2, deny=404)
def donor_dhis2(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report's published figures as DHIS2 ``dataValueSets`` (JSON), DHIS2's CSV, or the
    codebook of the identifiers used. The period must be a month, a quarter or a year."""
    import json

    from ruta.reports import dhis2

    programme = get_report_programme_for_user(request.user, pk)
    if fmt not in ("json", "csv", "codebook.csv"):
        raise Http404
    try:
        period = _period(request, programme)
        dhis2.dhis2_period(period)
    except (PeriodError, ValueError) as exc:
        message = str(exc) if isinstance(exc, PeriodError) else _("For DHIS2 the period must be a month, a "
                                                                   "quarter or a year.")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    report = build(programme, period)
    got = dhis2.data_value_set(programme, period, report)
    name = f"ruta-dhis2-{programme.pk}-{period.slug}"
    if fmt == "json":
        body = json.dumps(got["document"], ensure_ascii=False, indent=2).encode()
        return _download(body, "application/json", f"{name}.json")
    if fmt == "csv":
        return _download(dhis2.as_csv(got["document"]).encode(), "text/csv; charset=utf-8", f"{name}.csv")
    return _download(dhis2.codebook(programme, report).encode(), "text/csv; charset=utf-8", f"{name}-codebook.csv")
