"""Data and settings for the offline guide: the service worker caches the guide's screens,
its script and stylesheet, and ``datos.json`` (the rules and the directory)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from ruta.directory.places import district_centroids
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.pathway.engine import rules_snapshot, services_near
from ruta.pathway.questions import QUESTIONS


def district_choices() -> list[tuple[str, str]]:
    from ruta.geo.models import District

    rows = District.objects.filter(code__startswith=MADRE_DE_DIOS).select_related("province").order_by("code")
    return [(d.code, f"{d.name} ({d.province.name})") for d in rows]


def bundle(lang: str) -> dict[str, Any]:
    snapshot = rules_snapshot()
    field = "title_en" if lang == "en" else "title_es"
    return {
        "rules_version": snapshot["version"],
        "rules": snapshot["rules"],
        "cautions": snapshot["cautions"],
        "services": services_near(MADRE_DE_DIOS + "0000"),
        "districts": dict(district_choices()),
        "centroids": district_centroids(),
        "titles": {r["code"]: r[field] for r in snapshot["rules"]},
        "labels": {
            "important": _("Important"), "steps": _("Steps, in order"), "mandatory": _("mandatory"),
            "now": _("now"), "within": _("within"), "verified": _("verified"), "unverified": _("to be confirmed"),
            "national": _("National"), "call": _("Call"), "legal": _("Legal basis:"), "version": _("Rules version"),
            "professional": _("For professionals: duties and legal basis"), "source": _("Source:"),
            "countdown": _("Time left for the emergency medicines:"),
        },
    }


def _province_sheets() -> list[str]:
    """The department's one-page directories, so they open without internet too."""
    from ruta.geo.models import Province

    codes = Province.objects.filter(department_id=MADRE_DE_DIOS, districts__services__active=True).distinct()
    return [reverse("directory:print", args=[code]) for code in codes.values_list("code", flat=True)]


def sw_context(lang: str) -> dict[str, Any]:
    guide = reverse("pathway:guide")
    urls = [guide, *(f"{guide}?paso={q.name}" for q in QUESTIONS), f"{guide}?paso=sin-conexion",
            reverse("pathway:offline_data"), static("ruta/ruta.css"), static("ruta/ruta.js"),
            static("pathway/guide.js"), *_province_sheets()]
    # The cache is renamed whenever the rules or the directory change, so the worker is
    # reinstalled and fetches them again.
    digest = hashlib.sha256(json.dumps(bundle(lang), sort_keys=True, default=str).encode()).hexdigest()[:12]
    # JSON of our own URLs: safe to place in the script as they are.
    return {"urls_json": json.dumps(urls), "guide_json": json.dumps(guide), "cache_json": json.dumps(
        f"ruta-guide-{lang}-{digest}")}
