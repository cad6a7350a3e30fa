"""The public site. Pages here set no cookies, load nothing from other origins and carry
the quick-exit button; they must stay under 30 KB compressed (bench/, docs/architecture.md "Budgets").
A public GET only reads: nothing here writes to the database."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import role_in, staff_view
from ruta.accounts.roles import Role
from ruta.lib.suppression import protect_count, protect_line
from ruta.portal import reach
from ruta.portal.markup import render as render_markup
from ruta.portal.models import Page

# The pages made of text (content/<language>/<slug>.md), in the order the home lists them.
TEXT_PAGES = ("si-te-paso", "que-es-violencia", "consentimiento", "derechos", "si-alguien-te-cuenta",
              "chicos-y-diversidad")


def site_language() -> str:
    lang = (get_language() or "es").lower()
    return "en" if lang.startswith("en") else "qu" if lang.startswith("qu") else "es"


def link_prefix(language: str) -> str:
    return "" if language == "es" else f"/{language}"


def load_page(slug: str) -> tuple[Page, dict[str, Any]]:
    """The page in the visitor's language; a Quechua page not written yet is shown in Spanish."""
    language = site_language()
    pages = {p.language: p for p in Page.objects.filter(slug=slug, language__in=[language, "es"])}
    page = pages.get(language) or pages.get("es")
    if page is None:
        raise Http404
    reach.count(f"{language}:{slug}")  # in memory only: no address, cookie or identifier
    crisis = {"inicio": "/qu/", "si-te-paso": "/qu/si-te-paso/", "ayuda-cerca": "/qu/ayuda-cerca/",
              "navega-seguro": "/qu/navega-seguro/"}
    return page, {"page": page, "body": render_markup(page.body, link_prefix(language)),
                  "quechua_url": crisis.get(slug) if language != "qu" else None,
                  "page_lang": page.language, "LANG_SHORT": language, "chat_100": _chat_100(),
                  "to_review": page.language == "qu" and not page.reviewed}


def _chat_100() -> int | None:
    """The directory's page for Chat 100 (its web address is kept there, when known)."""
    from ruta.directory.models import Service

    return Service.objects.active().filter(national=True, name="Chat 100").values_list("pk", flat=True).first()


def _pages_menu() -> list[dict[str, Any]]:
    """The text pages in the visitor's language, or in Spanish (at their Spanish address) when
    not written in it: a Quechua visitor goes straight to the Spanish page."""
    language = site_language()
    rows = {(p.slug, p.language): p for p in Page.objects.filter(slug__in=TEXT_PAGES, language__in=[language, "es"])}
    menu = []
    for slug in TEXT_PAGES:
        page = rows.get((slug, language)) or rows.get((slug, "es"))
        if page is not None:
            menu.append({"page": page, "url": f"{link_prefix(page.language)}/{slug}/"})
    return menu


@cache_control(public=True, max_age=300)
def home(request: HttpRequest) -> HttpResponse:
    page, context = load_page("inicio")
    return render(request, "portal/home.html", {**context, "menu": _pages_menu()})


@cache_control(public=True, max_age=300)
def text_page(request: HttpRequest, slug: str) -> HttpResponse:
    _, context = load_page(slug)
    return render(request, "portal/page.html", context)


@cache_control(public=True, max_age=300)
def help_near(request: HttpRequest) -> HttpResponse:
    """Services of the chosen district (or the department's main ones), nearest first from the
    district's centre; with JavaScript, "near me" sorts them from the phone's position, in the browser."""
    from ruta.directory.models import Kind, Service
    from ruta.directory.places import by_distance
    from ruta.geo.codes import MADRE_DE_DIOS
    from ruta.geo.models import District

    _, context = load_page("ayuda-cerca")
    districts = list(District.objects.filter(province__department_id=MADRE_DE_DIOS).order_by("name")
                     .values_list("code", "name"))
    chosen = request.GET.get("distrito", "")
    chosen = chosen if chosen in {code for code, _ in districts} else ""
    services = Service.objects.active().filter(national=False, district__province__department_id=MADRE_DE_DIOS)
    main_kinds = [Kind.CEM, Kind.POLICE, Kind.PROSECUTOR, Kind.DEMUNA, Kind.LEGAL_AID, Kind.MENTAL_HEALTH,
                  Kind.CHILD_PROTECTION, Kind.FORENSIC]
    if chosen:
        services = services.filter(district_id=chosen)
    else:
        services = services.filter(kind__in=main_kinds)
    rows = by_distance(services.select_related("district")[:60], chosen) if chosen else list(
        services.select_related("district").order_by("kind", "name")[:60])
    national = Service.objects.active().filter(national=True).order_by("kind", "name")
    return render(request, "portal/help_near.html", {**context, "districts": districts, "chosen": chosen,
                                                     "services": rows, "national": national})


@never_cache  # the answered list changes, and the page carries a form
def questions(request: HttpRequest) -> HttpResponse:
    """Answers to common questions, the answered questions approved for publication, and the
    form to ask anonymously (posted to ``questions:ask``, no cookie)."""
    from ruta.questions.forms import AskForm
    from ruta.questions.views import public_answers

    _, context = load_page("preguntas")
    return render(request, "portal/questions.html", {**context, "form": AskForm(),
                                                     "published": public_answers(site_language())})


@cache_control(public=True, max_age=300)
def safe_browsing(request: HttpRequest) -> HttpResponse:
    """Private browsing, clearing the history, shared phones, and the saved guide."""
    _, context = load_page("navega-seguro")
    return render(request, "portal/safe_browsing.html", context)


REACH_DAYS = 30
sees_site_reach = role_in(Role.COORDINATOR, Role.ME_OFFICER)


@staff_view(sees_site_reach)
def site_reach(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Public page views of the last 30 days beside the programme's reach, both through the
    disclosure control (a small count shows as "<5")."""
    from datetime import timedelta

    from django.db.models import Sum
    from django.utils import timezone

    from ruta.portal.models import PageViewDay
    from ruta.program.models import Attendance
    from ruta.program.policy import programmes_for

    since = timezone.localdate() - timedelta(days=REACH_DAYS - 1)
    rows = list(PageViewDay.objects.filter(day__gte=since).values("page").annotate(n=Sum("views")).order_by("page"))
    line = protect_line([r["n"] for r in rows])
    reached = (Attendance.objects.filter(programme__in=programmes_for(request.user))
               .values("participant_id").distinct().count())
    return render(request, "portal/reach.html", {
        "pages": list(zip([r["page"] for r in rows], line.cells, strict=True)), "total": line.total,
        "reached": protect_count(reached), "days": REACH_DAYS, "since": since})
