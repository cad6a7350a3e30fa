"""Public directory pages: no login, no cookies, work with JavaScript off."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from ruta.directory.forms import ServiceFilterForm
from ruta.directory.models import Kind, Service
from ruta.directory.places import by_distance
from ruta.geo.models import Province

PAGE_SIZE = 40


@cache_control(public=True, max_age=300)
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    services = form.filtered()
    district = form.cleaned_data.get("district") if form.is_bound and form.is_valid() else ""
    if district:  # "near me" without JavaScript: from the chosen district's centre, in km
        services = by_distance(services, district)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    provinces = Province.objects.filter(department_id=form.department_code, districts__services__active=True).distinct()
    return render(
        request,
        "directory/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "provinces": provinces},
    )


@cache_control(public=True, max_age=300)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.active().select_related("district__province__department"), pk=pk)
    return render(request, "directory/detail.html", {"service": service})


@cache_control(public=True, max_age=300)
def province_print(request: HttpRequest, code: str) -> HttpResponse:
    """One page to print and pin on a wall: the province's services by kind, then the
    national lines."""
    province = get_object_or_404(Province.objects.select_related("department"), code=code)
    services = list(
        Service.objects.active()
        .filter(district__province=province)
        .select_related("district")
        .order_by("kind", "district__name", "name")
    )
    if not services:
        raise Http404
    order = {k: i for i, k in enumerate(Kind.values)}
    services.sort(key=lambda s: (order.get(s.kind, 99), s.district.name if s.district else "", s.name))
    # A wall sheet is for calling: health posts, and places with neither phone nor address,
    # are named in one line per district below the table, so the province fits on one A4 sheet.
    without_phone = [s for s in services if not s.phone and (s.kind == Kind.HEALTH or not s.address)]
    listed = [s for s in services if s not in without_phone]
    groups = [(Kind(kind).label, list(items)) for kind, items in groupby(listed, key=lambda s: s.kind)]
    by_district = [(name, [s.name for s in items]) for name, items in
                   groupby(sorted(without_phone, key=lambda s: (s.district.name if s.district else "", s.name)),
                           key=lambda s: s.district.name if s.district else "")]
    national = Service.objects.active().filter(national=True).order_by("kind", "name")
    return render(
        request,
        "directory/print.html",
        {"province": province, "groups": groups, "national": national, "count": len(services),
         "without_phone": by_district},
    )
