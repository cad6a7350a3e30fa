"""The monitoring dashboard (coordinator, M&E officer, donor) and its SVG charts."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.program import dashboard as board
from ruta.program.charts import CHARTS
from ruta.program.forms import FilterForm
from ruta.program.policy import can_see_dashboard, get_programme_for_user, sees_suppressed_counts


def _report(request: AuthenticatedHttpRequest, pk: int) -> tuple[object, FilterForm, dict[str, object]]:
    programme = get_programme_for_user(request.user, pk)
    form = FilterForm(request.GET or None, programme=programme, department=request.user.department_code)
    report = board.build(programme, form.filters(), suppress=sees_suppressed_counts(request.user))
    return programme, form, report


@staff_view(can_see_dashboard, deny=404)
def dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme, form, report = _report(request, pk)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(request, "program/dashboard.html", {
        "programme": programme, "form": form, "report": report, "query": query,
        "charts": [("metas", "targets"), ("tendencia", "trend"), ("distritos", "districts")],
    }, status=400 if form.is_bound and not form.is_valid() else 200)


# An SVG drawn as an <img> runs no script; its own <style> needs inline styles allowed.
@csp_replace({"style-src": ["'self'", "'unsafe-inline'"]})  # type: ignore[arg-type]
@staff_view(can_see_dashboard, deny=404)
def chart(request: AuthenticatedHttpRequest, pk: int, chart: str) -> HttpResponse:
    draw = CHARTS.get(chart)
    if draw is None:
        raise Http404
    _programme, _form, report = _report(request, pk)
    response = HttpResponse(draw(report), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
