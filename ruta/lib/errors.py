"""Error views for the cases Django renders without a request context.

Django renders ``400.html`` and ``500.html`` with no context at all; these give them the
quick-exit address from settings and nothing else: no context processors, no database.
``403.html`` and ``404.html`` use Django's own views (with the request context).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


def _static_page(template: str, status: int) -> HttpResponse:
    html = loader.render_to_string(template, {"quick_exit_url": settings.RUTA_QUICK_EXIT_URL})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _static_page("400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    return _static_page("500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    return _static_page("403_csrf.html", 403)
