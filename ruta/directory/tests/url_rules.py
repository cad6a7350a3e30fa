from __future__ import annotations

from ruta.directory.models import Service
from ruta.testing.access import ANONYMOUS, EVERY_ROLE, UrlRule

PUBLIC = EVERY_ROLE | {ANONYMOUS}


def _service(cast: object) -> dict[str, int]:
    return {"pk": Service.objects.get(key="linea-100").pk}


RULES = [
    UrlRule("directory:list", PUBLIC, notes="public: no login"),
    UrlRule("directory:list", PUBLIC, query="district=170101&kind=health&offer=emergency_kit"),
    UrlRule("directory:detail", PUBLIC, kwargs=_service),
    UrlRule("directory:print", PUBLIC, kwargs=lambda cast: {"code": "1701"}),
    UrlRule("api:services", PUBLIC, notes="GET /api/v1/services: public JSON"),
    UrlRule("api:services", PUBLIC, query="kind=spaceship", ok=400, notes="bad filters: 400 for everyone"),
]
