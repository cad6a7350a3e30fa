"""``GET /api/v1/services``: the public directory as JSON (no login; institutional data).

Filters: ``district`` (6-digit UBIGEO: that district's services plus the national lines),
``kind`` (institution kind code), ``offer`` (offer code). Unknown values answer 400 with a
message per field. Results are paginated with ``limit``/``offset``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema

from ruta.directory.models import Kind, Offer, Service
from ruta.geo.models import District

router = Router(tags=["directory"])

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000  # far beyond any directory; keeps OFFSET inside the database's 64 bits


class ServiceOut(Schema):
    id: int
    name: str
    kind: str
    offers: list[str]
    district: str | None = Field(description="UBIGEO; null for national services")
    district_name: str | None
    province: str | None
    national: bool
    address: str
    phone: str = Field(description="first phone, for tel: links")
    phones: list[str]
    hours: str
    open_24h: bool
    languages: list[str]
    latitude: Decimal | None
    longitude: Decimal | None
    confidence: str = Field(description="verified, secondary or unverified; only verified is shown as verified")
    verified_on: date | None
    source: str
    renipress_code: str | None


class ServicePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ServiceOut]


class Errors(Schema):
    detail: str
    errors: dict[str, str]


def _out(s: Service) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.kind,
        "offers": s.offers,
        "district": s.district_id,
        "district_name": s.district.name if s.district else None,
        "province": s.district.province_id if s.district else None,
        "national": s.national,
        "address": s.address,
        "phone": s.phone,
        "phones": s.phone_list,
        "hours": s.hours,
        "open_24h": s.open_24h,
        "languages": s.languages,
        "latitude": s.latitude,
        "longitude": s.longitude,
        "confidence": s.confidence,
        "verified_on": s.verified_on,
        "source": s.source,
        "renipress_code": s.renipress_code,
    }


@router.get(
    "/services",
    response={200: ServicePage, 400: Errors},
    auth=None,
    summary="Active services, filterable by district, institution kind and offer",
)
def services(
    request: HttpRequest,
    district: str = "",
    kind: str = "",
    offer: str = "",
    limit: int = 100,
    offset: int = 0,
) -> Any:
    errors: dict[str, str] = {}
    if district and not District.objects.filter(code=district).exists():
        errors["district"] = f"Unknown district UBIGEO: {district!r} (6 digits, e.g. 170101)."
    if kind and kind not in Kind.values:
        errors["kind"] = f"Unknown kind {kind!r}; one of: {', '.join(Kind.values)}."
    if offer and offer not in Offer.values:
        errors["offer"] = f"Unknown offer {offer!r}; one of: {', '.join(Offer.values)}."
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = f"limit must be between 1 and {MAX_LIMIT}."
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = f"offset must be between 0 and {MAX_OFFSET}."
    if errors:
        return JsonResponse({"detail": "Invalid filters.", "errors": errors}, status=400)
    qs = Service.objects.active().select_related("district")
    if district:
        qs = qs.filter(district_id=district) | qs.filter(national=True)
    if kind:
        qs = qs.filter(kind=kind)
    if offer:
        qs = qs.filter(offers__has=offer)
    qs = qs.order_by("-national", "district_id", "name", "pk")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_out(s) for s in qs[offset : offset + limit]],
    }
