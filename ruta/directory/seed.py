"""The services Ruta ships with, beyond what RENIPRESS lists.

Real institutions named in the project's domain notes (``madre_de_dios.md`` and
``pathway.md``), each with its source and the notes' mark: [V] → ``verified``,
[P] → ``secondary``, [U] → ``unverified``; the last two are shown as "to be confirmed".
Nothing is invented: a phone or address the notes do not give is left blank, and the
public note (in Spanish, the directory's language) says it is to be confirmed.
Administrators correct and verify these records in the admin.

``seed_services`` is idempotent (each record has a stable ``key``) and never overwrites a
record an administrator has edited. It is run by a data migration, so every install,
production included, gets the directory; ``manage.py seed_directory`` re-applies it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Model

RENIPRESS_EXTRACT = Path(__file__).parent / "data" / "renipress_madre_de_dios.csv"
RENIPRESS_EXTRACT_SOURCE = (
    "SUSALUD, RENIPRESS 2025 registry of health facilities (partial extract republished at "
    "github.com/JotaCR11/NetLabApi @ 555fff7)"
)

_MDD = "Ruta domain notes, Madre de Dios services (madre_de_dios.md)"
_PATHWAY = "Ruta domain notes, care pathway (pathway.md)"
_NO_CONTACT = "Dirección y teléfono por confirmar."

SERVICES: list[dict[str, Any]] = [
    {
        "key": "hospital-santa-rosa-puerto-maldonado",
        "name": "Hospital Santa Rosa de Puerto Maldonado",
        "kind": "health",
        "offers": ["medical", "emergency_kit"],
        "district_id": "170101",
        "source": f"{_MDD}: regional hospital in Puerto Maldonado, category not verified [U].",
        "confidence": "unverified",
        "notes": "Hospital regional. Dirección, teléfono, horario y código RENIPRESS por confirmar.",
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
        "source": f"{_PATHWAY} and {_MDD}: national line, free, 24 h [U].",
        "confidence": "unverified",
        "notes": "Llamada gratuita desde cualquier teléfono, de día y de noche.",
    },
    {
        "key": "chat-100",
        "name": "Chat 100",
        "kind": "hotline",
        "offers": ["information"],
        "national": True,
        "source": f"{_PATHWAY}: online chat, used mostly by adolescents [U].",
        "confidence": "unverified",
        "notes": "Chat en línea. Dirección web por confirmar.",
    },
    {
        "key": "policia-105",
        "name": "Policía Nacional del Perú – emergencias 105",
        "kind": "police",
        "offers": ["protection", "reporting"],
        "national": True,
        "phones": "105",
        "source": f"{_PATHWAY} and {_MDD}: police emergency number 105 [U].",
        "confidence": "unverified",
        "notes": "Llama si hay peligro inmediato. Faltan las comisarías de Madre de Dios.",
    },
    {
        "key": "mp-camara-gesell-madre-de-dios",
        "name": "Ministerio Público – Cámara Gesell de Madre de Dios",
        "kind": "prosecutor",
        "offers": ["reporting", "forensic"],
        "district_id": "170101",
        "address": "Av. Fitzcarrald 427, Puerto Maldonado",
        "source": f"{_PATHWAY} and {_MDD}: single interview room (Cámara Gesell) since 2018 [P].",
        "confidence": "secondary",
        "notes": "Entrevista única de niñas, niños y adolescentes, con el fiscal. Teléfono y horario por confirmar.",
    },
    {
        "key": "medicina-legal-madre-de-dios",
        "name": "Medicina Legal – Madre de Dios (Instituto de Medicina Legal, Ministerio Público)",
        "kind": "forensic",
        "offers": ["forensic"],
        "district_id": "170101",
        "source": f"{_MDD}: Medicina Legal (forensic) unit, name not verified [U].",
        "confidence": "unverified",
        "notes": "Examen médico legal. Nombre exacto y ubicación en Puerto Maldonado por confirmar.",
    },
    {
        "key": "upe-madre-de-dios",
        "name": "Unidad de Protección Especial (UPE) Madre de Dios",
        "kind": "child_protection",
        "offers": ["protection"],
        "district_id": "170101",
        "source": f"{_MDD}: UPE Madre de Dios (MIMP), since 2015, covers the districts of Tambopata province [P].",
        "confidence": "secondary",
        "notes": "Protege a niñas, niños y adolescentes sin cuidado parental. Atiende los distritos de la "
        "provincia de Tambopata. " + _NO_CONTACT,
    },
    {
        "key": "mega-alegra-tambopata",
        "name": "Mega ALEGRA Tambopata (MINJUSDH)",
        "kind": "legal_aid",
        "offers": ["legal", "information"],
        "district_id": "170101",
        "languages": ["es", "qu", "amr"],
        "source": f"{_PATHWAY} and {_MDD}: state legal-aid centre (2025), serves in Spanish, Quechua and Harakbut [P].",
        "confidence": "secondary",
        "notes": "Defensa pública gratuita. " + _NO_CONTACT,
    },
]

# CEMs (programme Warmi Ñan) and DEMUNAs: the notes name them but give no locations [U].
# One record per province, in the province's capital district, for administrators to
# correct or deactivate.
_PROVINCES = [("tambopata", "Tambopata", "170101"), ("manu", "Manu", "170201"), ("tahuamanu", "Tahuamanu", "170301")]
for _slug, _province, _district in _PROVINCES:
    SERVICES.append(
        {
            "key": f"cem-{_slug}",
            "name": f"Centro Emergencia Mujer (CEM) – {_province}",
            "kind": "cem",
            "offers": ["legal", "psychological", "protection", "information"],
            "district_id": _district,
            "source": f"{_MDD}: CEM locations in the department not found [U]; services from {_PATHWAY} [V].",
            "confidence": "unverified",
            "notes": "Atención legal, psicológica y social gratuita y plan de seguridad. Por confirmar si hay un "
            "CEM en esta provincia y dónde. " + _NO_CONTACT,
        }
    )
    SERVICES.append(
        {
            "key": f"demuna-{_slug}",
            "name": f"DEMUNA – Municipalidad Provincial de {_province}",
            "kind": "demuna",
            "offers": ["protection", "information"],
            "district_id": _district,
            "source": f"{_MDD}: municipal DEMUNAs [U].",
            "confidence": "unverified",
            "notes": "Defensoría municipal de la niña, niño y adolescente. Existencia y acreditación por "
            "confirmar. " + _NO_CONTACT,
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
    """Import the bundled RENIPRESS extract and create the shipped services."""
    from ruta.directory.renipress import import_renipress

    districts = set(district_model._default_manager.values_list("code", flat=True))
    with RENIPRESS_EXTRACT.open("rb") as stream:
        report = import_renipress(stream, service_model, districts, source=RENIPRESS_EXTRACT_SOURCE)
    created, present = seed_services(service_model)
    return {"renipress": report, "created": created, "present": present}
