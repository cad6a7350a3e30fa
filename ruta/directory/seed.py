"""The services Ruta ships with, beyond the public lists in ``data/``.

Real institutions named in public sources, each with its source in plain words and a
confidence: ``verified`` (an official text), ``secondary`` (public sources, shown as such)
or ``unverified`` (shown as "to be confirmed"). Nothing is invented: a phone or address
the sources do not give is left blank, and the public card says none is registered.
No service is marked as offering the sexual-violence kit: an administrator records it.
Administrators correct and verify these records in the admin.

``seed_directory`` is idempotent (records have a stable ``key`` or RENIPRESS code) and
never overwrites what an administrator edited. Data migrations and
``ruta.directory.reference.load`` run it, so every install, production included, gets
the directory; ``manage.py seed_directory`` re-applies it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Model

RENIPRESS_EXTRACT = Path(__file__).parent / "data" / "renipress_madre_de_dios.csv"
RENIPRESS_EXTRACT_SOURCE = (
    "Registro de establecimientos de salud RENIPRESS (SUSALUD, 2025); copia pública en "
    "github.com/JotaCR11/NetLabApi"
)

_MIMP_LINES = ("Ministerio de la Mujer (MIMP), declaraciones públicas recogidas por Infobae (5 nov. 2025), "
               "Exitosa (17 nov. 2025) y Panamericana (7 feb. 2026)")
_PRESS = "Fuentes públicas (prensa y páginas de instituciones), no comprobadas en un texto oficial"

SERVICES: list[dict[str, Any]] = [
    {
        "key": "hospital-santa-rosa-puerto-maldonado",
        "name": "Hospital Santa Rosa de Puerto Maldonado",
        "kind": "health",
        "offers": ["medical"],
        "district_id": "170101",
        "renipress_code": "2698",
        "category": "II-1",
        "sector": "public",
        "source": "Ministerio de Salud (MINSA), tabla de establecimientos de salud, datos abiertos 2021 "
        "(código 2698, categoría II-1)",
        "confidence": "secondary",
        "notes": "Hospital regional de Madre de Dios, en Puerto Maldonado.",
    },
    {
        "key": "linea-100",
        "name": "Línea 100",
        "kind": "hotline",
        "offers": ["information", "psychological"],
        "national": True,
        "phones": "100",
        "hours": "24 h",
        "open_24h": True,
        "sector": "public",
        "source": _MIMP_LINES,
        "confidence": "secondary",
        "notes": "Gratuita, las 24 horas, todos los días, desde cualquier teléfono. Psicólogas y abogados "
        "orientan a víctimas y a testigos, en castellano, quechua y aimara.",
    },
    {
        "key": "chat-100",
        "name": "Chat 100",
        "kind": "hotline",
        "offers": ["information"],
        "national": True,
        "sector": "public",
        "source": _MIMP_LINES,
        "confidence": "secondary",
        "notes": "Chat en línea gratuito y confidencial, usado sobre todo por adolescentes y jóvenes. "
        "Su dirección web aún no está registrada aquí: pídela a la Línea 100.",
    },
    {
        "key": "policia-105",
        "name": "Policía Nacional del Perú – emergencias 105",
        "kind": "police",
        "offers": ["protection", "reporting"],
        "national": True,
        "phones": "105",
        "sector": "public",
        "source": _PRESS,
        "confidence": "secondary",
        "notes": "Llama si hay peligro inmediato.",
    },
    {
        "key": "mp-camara-gesell-madre-de-dios",
        "name": "Ministerio Público – Cámara Gesell de Madre de Dios",
        "kind": "prosecutor",
        "offers": ["reporting", "forensic"],
        "district_id": "170101",
        "address": "Av. Fitzcarrald 427, Puerto Maldonado",
        "sector": "public",
        "source": f"{_PRESS}: Cámara Gesell de Madre de Dios, desde 2018.",
        "confidence": "secondary",
        "notes": "Entrevista única de niñas, niños y adolescentes, con el fiscal.",
    },
    {
        "key": "medicina-legal-madre-de-dios",
        "name": "Medicina Legal – Madre de Dios (Instituto de Medicina Legal, Ministerio Público)",
        "kind": "forensic",
        "offers": ["forensic"],
        "district_id": "170101",
        "sector": "public",
        "source": "Ministerio Público; nombre y ubicación de la unidad en Madre de Dios por confirmar.",
        "confidence": "unverified",
        "notes": "Examen médico legal.",
    },
    {
        "key": "upe-madre-de-dios",
        "name": "Unidad de Protección Especial (UPE) Madre de Dios",
        "kind": "child_protection",
        "offers": ["protection"],
        "district_id": "170101",
        "sector": "public",
        "source": f"{_PRESS}: UPE Madre de Dios (MIMP), desde 2015.",
        "confidence": "secondary",
        "notes": "Protege a niñas, niños y adolescentes sin cuidado parental. Atiende los distritos de la "
        "provincia de Tambopata.",
    },
    {
        "key": "mega-alegra-tambopata",
        "name": "Mega ALEGRA Tambopata (MINJUSDH)",
        "kind": "legal_aid",
        "offers": ["legal", "information"],
        "district_id": "170101",
        "languages": ["es", "qu", "amr"],
        "sector": "public",
        "source": f"{_PRESS}: centro Mega ALEGRA Tambopata del Ministerio de Justicia (2025).",
        "confidence": "secondary",
        "notes": "Defensa pública gratuita, en castellano, quechua y harakbut.",
    },
]

# DEMUNAs: no public list was found. One record per province, in the province's capital
# district, for administrators to correct or deactivate. (The CEMs come from data/.)
PLACEHOLDER_CEM_KEYS = ("cem-tambopata", "cem-manu", "cem-tahuamanu")
_PROVINCES = [("tambopata", "Tambopata", "170101"), ("manu", "Manu", "170201"), ("tahuamanu", "Tahuamanu", "170301")]
for _slug, _province, _district in _PROVINCES:
    SERVICES.append(
        {
            "key": f"demuna-{_slug}",
            "name": f"DEMUNA – Municipalidad Provincial de {_province}",
            "kind": "demuna",
            "offers": ["protection", "information"],
            "district_id": _district,
            "sector": "public",
            "source": "Las DEMUNA son defensorías municipales (Código de los Niños y Adolescentes); "
            "no se encontró una lista pública de las de Madre de Dios.",
            "confidence": "unverified",
            "notes": "Defensoría municipal de la niña, niño y adolescente. Existencia y acreditación por "
            "confirmar.",
        }
    )


def seed_services(service_model: type[Model]) -> tuple[int, int]:
    """Create the shipped services that are missing; returns (created, already there)."""
    manager = service_model._default_manager
    present = set(manager.filter(key__in=[s["key"] for s in SERVICES]).values_list("key", flat=True))
    missing = [service_model(**spec) for spec in SERVICES if spec["key"] not in present]
    manager.bulk_create(missing)
    return len(missing), len(present)


def seed_directory(service_model: type[Model], district_model: type[Model]) -> dict[str, Any]:
    """Create the shipped services, then load the bundled public lists (each merged with
    what is there: see ``ruta.directory.sources``)."""
    from ruta.directory import sources
    from ruta.directory.renipress import import_renipress

    districts = set(district_model._default_manager.values_list("code", flat=True))
    created, present = seed_services(service_model)
    with RENIPRESS_EXTRACT.open("rb") as stream:
        report = import_renipress(stream, service_model, districts, source=RENIPRESS_EXTRACT_SOURCE)
    return {
        "renipress": report, "created": created, "present": present,
        "minsa": sources.load_minsa(service_model, districts),
        "warmi_nan": sources.load_warmi_nan(service_model),
        "police": sources.load_police(service_model),
    }


def upgrade_installed(service_model: type[Model], history_model: type[Model]) -> None:
    """Bring an install seeded by an earlier release up to this one (data migration 0005).

    - The kit: only an administrator records it. It was set by default on every public
      facility; it stays only where an administrator's edit (history with a user) set it.
    - Hospital Santa Rosa gets its RENIPRESS code (2698) so MINSA's record merges with it;
      if a facility with that code is already listed, the seeded duplicate is deactivated.
    - Shipped records whose source still cites internal notes get their public source text,
      and the per-province CEM placeholders give way to the real CEMs.
    """
    from ruta.directory.fields import encode_codes

    manager = service_model._default_manager
    edited_kit = set(
        history_model._default_manager.filter(history_user__isnull=False, offers__contains=",emergency_kit,")
        .values_list("id", flat=True)
    )
    for pk, offers in manager.filter(offers__contains=",emergency_kit,").values_list("pk", "offers"):
        if pk not in edited_kit:
            codes = offers if isinstance(offers, list) else [c for c in str(offers).split(",") if c]
            manager.filter(pk=pk).update(offers=encode_codes([c for c in codes if c != "emergency_kit"]))
    seeded = manager.filter(key="hospital-santa-rosa-puerto-maldonado", renipress_code__isnull=True).first()
    if seeded is not None:
        if manager.filter(renipress_code="2698").exists():
            manager.filter(pk=seeded.pk).update(active=False)
        else:
            manager.filter(pk=seeded.pk).update(renipress_code="2698")
    specs = {s["key"]: s for s in SERVICES}
    for pk, key in manager.filter(key__in=list(specs), source__startswith="Ruta").values_list("pk", "key"):
        spec = specs[key]
        manager.filter(pk=pk).update(**{f: spec[f] for f in ("source", "confidence", "notes", "sector") if f in spec})
    manager.filter(source__startswith="SUSALUD, RENIPRESS 2025").update(source=RENIPRESS_EXTRACT_SOURCE)
    manager.filter(key__in=PLACEHOLDER_CEM_KEYS, source__startswith="Ruta").update(active=False)
