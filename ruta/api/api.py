"""Ruta's REST API (django-ninja). Each app adds its router here; the schema is served at
/api/v1/openapi.json. The interactive docs page is off: it would load code from a CDN."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import Throttled
from ninja.responses import Status
from ninja.throttling import BaseThrottle

from ruta.api import health as health_checks
from ruta.api.parser import BoundedJsonParser
from ruta.lib.ratelimit import RateLimit

api = NinjaAPI(
    title="Ruta API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    parser=BoundedJsonParser(),
)


class Health(Schema):
    status: str
    problems: dict[str, str]


@api.get("/health", response={200: Health, 503: Health}, summary="Health check for monitoring", auth=None,
         description="200 when the database answers, every migration is applied and no queued task has waited "
                     "more than 5 minutes; 503 naming each failing check otherwise.")
def health(request: HttpRequest) -> Status[dict[str, object]]:
    found = health_checks.problems()
    return Status(503 if found else 200, {"status": "failing" if found else "ok", "problems": found})


# Per client address and per gunicorn worker (see ruta/lib/ratelimit.py and docs/security.md).
public_api_limit = RateLimit("api", settings.RUTA_API_RATE_LIMIT, per_seconds=60)


class RateThrottle(BaseThrottle):
    """django-ninja's throttle hook, counting with Ruta's own limiter."""

    def __init__(self, limiter: RateLimit) -> None:
        self.limiter = limiter

    def allow_request(self, request: HttpRequest) -> bool:
        return self.limiter.hit(request)

    def wait(self) -> float:
        return self.limiter.retry_after()


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # The body (and its `lang`) is not read for a refused request: the browser's language decides.
    with translation.override(translation.get_language_from_request(request)):
        detail = _("Too many requests from your connection. Wait a minute and try again.")
    return api.create_response(request, {"detail": detail}, status=429)


# The health check stays unlimited: monitoring polls it.
_throttle: list[BaseThrottle] = [RateThrottle(public_api_limit)]
api.add_router("/pathway", "ruta.pathway.api.router", throttle=_throttle)
api.add_router("", "ruta.directory.api.router", throttle=_throttle)
api.add_router("", "ruta.learning.api.router", throttle=_throttle)
# Staff-only operator counts (session login, audited): not a public figure, not rate-limited here.
api.add_router("", "ruta.stats.api.router")
