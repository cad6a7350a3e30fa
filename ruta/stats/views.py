"""Statistics screens: the CEM register's protected tables (and their CSV files), and importing the
register (a background job followed on the job page)."""

from __future__ import annotations

import csv
import uuid

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.jobs.policy import get_job_for_user
from ruta.stats import programme
from ruta.stats.actions import UploadRefused, awaiting_confirmation, confirm_cem_import, start_cem_import
from ruta.stats.models import CemLoad
from ruta.stats.policy import can_import_cem, can_read_case_statistics, can_read_statistics
from ruta.stats.tables import beside_peru, build, csv_rows, earlier_years, facts, table_by_slug, trend

MAX_UPLOAD_BYTES = 1 << 30  # a national yearly file is a few hundred megabytes


class CemUploadForm(forms.Form):
    file = forms.FileField(label=_("Register file (CSV, XLSX or SPSS .sav)"))


def _loads() -> list[CemLoad]:
    return list(CemLoad.objects.filter(status=CemLoad.Status.CURRENT).order_by("-year"))


@staff_view(can_import_cem)
def import_cem(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CemUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 1 GB."))
        else:
            try:
                job = start_cem_import(upload, user=request.user, back_url=reverse("stats:import_cem"))
            except UploadRefused as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("jobs:job", job_id=job.pk)
    return render(request, "stats/import_cem.html", {"form": form, "loads": _loads()},
                  status=422 if form.errors else 200)


@require_POST
@staff_view(can_import_cem, deny=404)
def import_confirm(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    if not awaiting_confirmation(job):
        raise Http404
    new = confirm_cem_import(job, user=request.user)
    return redirect("jobs:job", job_id=new.pk)





def _year(request: HttpRequest) -> tuple[int | None, list[int]]:
    years = sorted(CemLoad.objects.filter(status=CemLoad.Status.CURRENT).values_list("year", flat=True),
                   reverse=True)
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked), years
    return (years[0] if years else None), years


def _figures(request: HttpRequest) -> dict[str, object]:
    """What both statistics pages show: the chosen year's tables (one protected set), the trend
    across years, Madre de Dios beside Peru and the fact sheet."""
    year, years = _year(request)
    load = CemLoad.objects.filter(status=CemLoad.Status.CURRENT, year=year).first() if year else None
    tables = build(MADRE_DE_DIOS, year) if year else []
    context: dict[str, object] = {
        "year": year, "years": years, "load": load, "tables": tables,
        "facts": facts(MADRE_DE_DIOS, year) if year else [],
        "trend": trend(MADRE_DE_DIOS, years) if len(years) > 1 else None,
        "published": [beside_peru(), earlier_years()],
    }
    return context


@staff_view(can_read_statistics)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The CEM register for Madre de Dios, one year at a time, every table protected."""
    context = _figures(request)
    context.update(can_import=can_import_cem(request.user), csv_url="stats:table_csv")
    return render(request, "stats/index.html", context)


def _csv(request: HttpRequest, slug: str) -> HttpResponse:
    year, years = _year(request)
    chosen = table_by_slug(MADRE_DE_DIOS, year, slug, years) if year or slug in NO_YEAR else None
    if chosen is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cem-{MADRE_DE_DIOS}-{year or "all"}-{slug}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with accents only with a BOM
    writer = csv.writer(response)
    writer.writerows(csv_rows(chosen))
    writer.writerow([str(MARKS_NOTE)])
    if chosen.has_complement:
        writer.writerow([str(COMPLEMENT_NOTE)])
    if chosen.note:
        writer.writerow([chosen.note])
    if slug not in NO_YEAR:
        writer.writerow([str(SOURCE_NOTE) % {"year": year}])
    return response


NO_YEAR = frozenset({"peru", "mimp"})


@staff_view(can_read_statistics)
def table_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _csv(request, slug)


@cache_control(public=True, max_age=600)
def public_index(request: HttpRequest) -> HttpResponse:
    """The public advocacy page: the same protected figures, no login, no cookies."""
    context = _figures(request)
    context["csv_url"] = "figures:table_csv"
    return render(request, "stats/public.html", context)


@cache_control(public=True, max_age=600)
def public_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _csv(request, slug)


MARKS_NOTE = _("<5: from 1 to 4 cases.")
COMPLEMENT_NOTE = _("x: hidden so that small numbers cannot be worked out from the totals. "
                    "<5: from 1 to 4 cases.")
SOURCE_NOTE = _("Source: MIMP, register of the Centros Emergencia Mujer (CEM), cases handled in %(year)s, "
                "by place of residence. Cases handled, not complaints.")


@staff_view(can_read_case_statistics)
def cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's own incidents (statistics consent only), protected like any publication."""
    tables, median_days, counted = programme.build(request.user.organisation)  # type: ignore[union-attr]
    return render(request, "stats/cases.html", {"tables": tables, "median_days": median_days, "counted": counted,
                                                "min_base": programme.MIN_BASE})
