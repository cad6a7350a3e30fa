"""Ruta's REST API (django-ninja). Each app adds its router here; the schema is served at
/api/v1/openapi.json. The interactive docs page is off: it would load code from a CDN."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.responses import Status

from ruta.api import health as health_checks

api = NinjaAPI(
    title="Ruta API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
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

api.add_router("/pathway", "ruta.pathway.api.router")
api.add_router("", "ruta.directory.api.router")
api.add_router("", "ruta.stats.api.router")
