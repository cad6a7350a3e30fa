"""Load the public service lists bundled in ``data/`` (see ``data/README.md``) besides the
RENIPRESS extract: MINSA's facility table, the Warmi Ñan services (CEM, SAU, SAR) and the
police stations.

Rules, shared by the three loaders:

- Nothing is listed twice: facilities are matched by their RENIPRESS code
  (``codigo_renaes`` = ``COD_IPRESS``), the rest by a stable ``key``.
- What a record already has is never overwritten (an administrator may have corrected
  it); blank fields are filled in.
- No service is marked as offering the sexual-violence kit: only an administrator
  records that. Private facilities are marked private.
- ``source`` says where each record comes from in plain words; ``confidence`` is
  ``secondary`` for official tables republished, ``unverified`` when the republisher
  does not say where the data comes from.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Model
from django.utils.text import slugify

from ruta.directory.places import DATA, district_codes_by_name, minsa_ubigeo_ids
from ruta.directory.renipress import facility_name

MINSA_FILE = DATA / "minsa_tb_eess_madre_de_dios.csv"
WARMI_NAN_FILE = DATA / "servicios_ayuda_cem_sau_sar_madre_de_dios.csv"
POLICE_FILE = DATA / "comisarias_madre_de_dios.csv"

MINSA_SOURCE = ("Ministerio de Salud (MINSA), tabla de establecimientos de salud, datos abiertos 2021; "
                "copia pública en github.com/catenciounsa/peru-covid-discovery")
WARMI_NAN_SOURCE = ("Directorio de servicios del programa Warmi Ñan (MIMP) publicado en "
                    "github.com/Nicole-Molina/servicios_de_ayuda, sin indicar su fuente original. "
                    "Los CEM coinciden con los registros de casos atendidos del MIMP.")
POLICE_SOURCE = ("Lista de comisarías publicada en github.com/Nicole-Molina/servicios_de_ayuda, "
                 "sin indicar su fuente original.")

# MINSA's table lists every registered facility, dental offices and opticians included.
# Ruta keeps the regional public network (red "MADRE DE DIOS") and these facilities
# outside it that serve survivors: code → (sector, kind).
MINSA_EXTRA = {
    "2698": ("public", "health"),  # Hospital Santa Rosa, regional hospital (II-1)
    "9319": ("social_security", "health"),  # EsSalud Hospital Víctor Alfredo Lazo Peralta
    "9317": ("social_security", "health"),  # EsSalud Posta Médica Iberia
    "14339": ("social_security", "health"),  # EsSalud Posta Médica Salvación
    "26671": ("public", "mental_health"),  # Centro de Salud Mental Comunitario Puerto Maldonado
}
_CLASSIFICATION = {"I-1": "PUESTOS DE SALUD O POSTAS DE SALUD", "I-2": "PUESTOS DE SALUD O POSTAS DE SALUD",
                   "I-3": "CENTROS DE SALUD O CENTROS MEDICOS", "I-4": "CENTROS DE SALUD O CENTROS MEDICOS",
                   "II-1": "HOSPITALES O CLINICAS DE ATENCION GENERAL"}
_ADDRESS_FIXES = [(r"\bJIR[OÓ]N JR\.", "JR."), (r"\bAVENIDA AV\.", "AV."), (r"\bCALLE CALLE\b", "CALLE"),
                  (r"\bPASAJE PSJE\.", "PSJE."), (r"^OTROS ", ""), (r"NDEG", "N° ")]
# The Warmi Ñan and police lists are upper case without accents.
_ACCENTS = {"Salvacion": "Salvación", "Planchon": "Planchón", "Bambu": "Bambú", "Inapari": "Iñapari"}
_LOWER = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}


def _rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter=delimiter)


def plain(text: str) -> str:
    """``AV. INDEPENDENCIA S/N`` → ``Av. Independencia S/N`` (one line, title case)."""
    words = " ".join(text.split()).split(" ")
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        out.append(low if i and low in _LOWER else w if w.isupper() and len(w) <= 3 and "." not in w
                   and any(c.isdigit() for c in w) else low[:1].upper() + low[1:])
    text = " ".join(out).replace("S/n", "S/N")
    for bare, accented in _ACCENTS.items():
        text = re.sub(rf"\b{bare}\b", accented, text)
    return text


def minsa_address(raw: str) -> str:
    text = " ".join(raw.split()).upper()
    text = re.split(r" DISTRITO ", text)[0]
    for pattern, repl in _ADDRESS_FIXES:
        text = re.sub(pattern, repl, text)
    return plain(text)[:300] if text.strip() else ""


def _fill_blanks(manager: Any, existing: Model, values: dict[str, Any]) -> bool:
    blanks = {k: v for k, v in values.items() if v not in ("", None) and getattr(existing, k) in ("", None)}
    if blanks:
        manager.filter(pk=existing.pk).update(**blanks)
    return bool(blanks)


def load_minsa(service_model: type[Model], district_codes: set[str]) -> dict[str, int]:
    """Facilities of MINSA's table (see :data:`MINSA_EXTRA` for which)."""
    manager = service_model._default_manager
    counts = {"created": 0, "filled": 0, "skipped": 0}
    ubigeos = minsa_ubigeo_ids()
    new = []
    for row in _rows(MINSA_FILE):
        code = row["codigo_renaes"].strip().lstrip("0")
        sector, kind = MINSA_EXTRA.get(code, ("public", "health"))
        district = ubigeos.get(row["id_ubigeo"].strip(), "")
        if (row["red"].strip() != "MADRE DE DIOS" and code not in MINSA_EXTRA) or district not in district_codes:
            counts["skipped"] += 1
            continue
        category = row["categoria"].strip()
        values: dict[str, Any] = {
            "address": minsa_address(row["direccion"]),
            "latitude": Decimal(row["latitud"]).quantize(Decimal("0.000001")) if row["latitud"].strip() else None,
            "longitude": Decimal(row["longitud"]).quantize(Decimal("0.000001")) if row["longitud"].strip() else None,
            "category": "" if category == "SD" else category,
            "sector": sector,
        }
        existing = manager.filter(renipress_code=code).first()
        if existing is not None:
            counts["filled"] += _fill_blanks(manager, existing, values)
            continue
        name = facility_name(row["nombre"], _CLASSIFICATION.get(category, ""))
        if sector == "social_security" and "essalud" not in name.lower():
            name += " (EsSalud)"
        new.append(service_model(
            name=name, kind=kind, renipress_code=code, district_id=district, source=MINSA_SOURCE,
            confidence="secondary",
            offers=["psychological", "medical"] if kind == "mental_health" else ["medical"], **values,
        ))
    manager.bulk_create(new)
    counts["created"] = len(new)
    return counts


def _create_missing(service_model: type[Model], specs: list[dict[str, Any]]) -> dict[str, int]:
    manager = service_model._default_manager
    present = set(manager.filter(key__in=[s["key"] for s in specs]).values_list("key", flat=True))
    missing = [service_model(**s) for s in specs if s["key"] not in present]
    manager.bulk_create(missing)
    return {"created": len(missing), "present": len(present)}


_WARMI_NAN = {
    "CEM REGULAR": ("Centro Emergencia Mujer (CEM) {}", ["legal", "psychological", "protection", "information"],
                    "Atención legal, psicológica y social gratuita, y plan de seguridad. Atiende a mujeres, "
                    "hombres, niñas, niños y adolescentes."),
    "CEM 24 HORAS": ("Centro Emergencia Mujer (CEM) {} – 24 horas",
                     ["legal", "psychological", "protection", "information"],
                     "Funciona dentro de la comisaría, las 24 horas. Atención legal, psicológica y social "
                     "gratuita."),
    "SAU": ("Servicio de Atención Urgente (SAU) {}", ["protection", "psychological", "information"],
            "Equipo del programa Warmi Ñan que acude en casos urgentes. Se pide por la Línea 100."),
    "SAR": ("Servicio de Atención Rural (SAR) {}", ["legal", "psychological", "protection", "information"],
            "Atención gratuita del programa Warmi Ñan en zonas rurales."),
}


def warmi_nan_specs() -> list[dict[str, Any]]:
    codes = district_codes_by_name()
    specs = []
    for row in _rows(WARMI_NAN_FILE):
        category = row["CATEGORIA"].strip().upper()
        pattern, offers, notes = _WARMI_NAN[category]
        place = plain(row["ESTABLECIMIENTO"].upper().removeprefix(category).strip())
        address = row["DIRECCION"].strip()
        specs.append({
            "key": slugify(f"{category}-{place}")[:60],
            "name": pattern.format(place),
            "kind": "cem",
            "offers": offers,
            "district_id": codes[(row["PROVINCIA"].strip().upper(), row["DISTRITO"].strip().upper())],
            "address": "" if address.upper() == "NO DISPONIBLE" else minsa_address(address),
            "phones": "; ".join(p.strip() for p in row["CELULAR DE CONTACTO"].split("/") if p.strip()),
            "open_24h": category == "CEM 24 HORAS",
            "hours": "24 h" if category == "CEM 24 HORAS" else "",
            "sector": "public",
            "notes": notes,
            "source": WARMI_NAN_SOURCE,
            "confidence": "unverified",
        })
    return specs


def police_specs() -> list[dict[str, Any]]:
    codes = district_codes_by_name()
    specs = []
    for row in _rows(POLICE_FILE):
        place = plain(row["COMISARIA"].upper().removeprefix("CPNP").strip())
        specs.append({
            "key": slugify(f"cpnp-{place}")[:60],
            "name": f"Comisaría PNP {place}",
            "kind": "police",
            "offers": ["reporting", "protection"],
            "district_id": codes[(row["PROVINCIA"].strip().upper(), row["DISTRITO"].strip().upper())],
            "sector": "public",
            "notes": "Recibe denuncias; no hace falta abogado, y una o un adolescente puede denunciar sin un adulto.",
            "source": POLICE_SOURCE,
            "confidence": "unverified",
        })
    return specs


def load_warmi_nan(service_model: type[Model]) -> dict[str, int]:
    return _create_missing(service_model, warmi_nan_specs())


def load_police(service_model: type[Model]) -> dict[str, int]:
    return _create_missing(service_model, police_specs())
