"""Ruta's REST API (django-ninja). Each app adds its router here; the schema is served at
/api/v1/openapi.json. The interactive docs page is off: it would load code from a CDN."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from ruta.api.parser import BoundedJsonParser

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


@api.get("/health", response=Health, summary="Liveness check for monitoring", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
api.add_router("/pathway", "ruta.pathway.api.router")
api.add_router("", "ruta.directory.api.router")
