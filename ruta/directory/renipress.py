"""Import health facilities from SUSALUD's RENIPRESS registry (CSV).

The national file an administrator downloads from SUSALUD has about 20,000 rows and the
same columns as the bundled Madre de Dios extract. Rules:

- Streaming: the file is read line by line and written in batches, so memory stays flat
  whatever its size; the whole import is one transaction (nothing half-saved).
- Encodings: each line is decoded as UTF-8 (a BOM is dropped) and, if that fails, as
  Windows-1252/Latin-1, so UTF-8, UTF-8 with BOM, Latin-1 and mixed files all work.
- Delimiter: ``;``, ``,`` or tab, whichever the header line uses most.
- Idempotent upsert by ``COD_IPRESS`` (``Service.renipress_code``). Only the registry's
  own fields are overwritten on update (name, address, phones, hours, category,
  district, coordinates, active); what an administrator curates (offers, languages,
  notes, confidence, verification date) is kept.
- New facilities get ``kind`` = health and ``offers`` = medical. No facility is marked
  as offering the sexual-violence kit: the registry does not say which holds it, and only
  an administrator records that. ``sector`` comes from ``INSTITUCION`` (PRIVADO →
  private, ESSALUD → social security, else public): private ones are never called free.
- Only active facilities (``ESTADO`` = ACTIVO and ``CONDICION`` empty or ACTIVO) are
  created; a facility already in the directory that the registry no longer lists as
  active is deactivated.
- ``UBIGEO`` gives the district; rows whose UBIGEO is not a known district are skipped
  and counted. ``NORTE`` is the latitude and ``ESTE`` the longitude.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import connections, transaction
from django.db.models import Model
from django.utils import timezone

from ruta.directory.fields import encode_codes

REQUIRED_COLUMNS = ("COD_IPRESS", "NOMBRE", "UBIGEO", "ESTADO")
BATCH_SIZE = 2000
DEFAULT_SOURCE = "SUSALUD, RENIPRESS registry of health facilities"

# Fields the registry owns: overwritten on every import.
REGISTRY_FIELDS = (
    "name",
    "address",
    "phones",
    "hours",
    "open_24h",
    "category",
    "district_id",
    "latitude",
    "longitude",
    "active",
    "sector",
)

_NAME_PREFIXES = {
    "PUESTOS DE SALUD O POSTAS DE SALUD": "Puesto de Salud",
    "CENTROS DE SALUD O CENTROS MEDICOS": "Centro de Salud",
    "CENTROS DE SALUD CON CAMAS DE INTERNAMIENTO": "Centro de Salud",
    "HOSPITALES O CLINICAS DE ATENCION GENERAL": "Hospital",
    "HOSPITALES O CLINICAS DE ATENCION ESPECIALIZADA": "Hospital",
}
_ALREADY_NAMED = re.compile(
    r"^(HOSPITAL|CLINICA|CLÍNICA|CENTRO|PUESTO|POSTA|POLICLINICO|POLICLÍNICO|CONSULTORIO|INSTITUTO|C\.S\.|P\.S\.)",
    re.IGNORECASE,
)
_LOWER_WORDS = {"de", "del", "la", "las", "los", "el", "y", "e", "en"}
_EMPTY = {"", "-", "--", "0", "NULL", "NONE", "S/N", "SIN DATO", "NO REGISTRA"}


class RenipressError(Exception):
    """The file cannot be imported at all (e.g. a required column is missing)."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    skipped_inactive: int = 0
    skipped_unknown_ubigeo: int = 0
    skipped_invalid: int = 0
    rows: int = 0
    unknown_ubigeos: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return self.skipped_inactive + self.skipped_unknown_ubigeo + self.skipped_invalid


def decoded_lines(raw: Iterable[bytes]) -> Iterator[str]:
    """Decode each line as UTF-8, else Windows-1252, else Latin-1 (never fails)."""
    first = True
    for line in raw:
        if first:
            first = False
            if line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield line.decode("cp1252")
            except UnicodeDecodeError:
                yield line.decode("latin-1")


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d])


def _clean(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.upper() in _EMPTY else value


def _title(text: str) -> str:
    words = text.strip().split()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        out.append(lower if i and lower in _LOWER_WORDS else lower[:1].upper() + lower[1:])
    return " ".join(out)


def facility_name(nombre: str, clasificacion: str) -> str:
    """``LA NOVIA`` + ``PUESTOS DE SALUD…`` → ``Puesto de Salud La Novia``."""
    name = _title(nombre)
    prefix = _NAME_PREFIXES.get(clasificacion.strip().upper(), "")
    if prefix and not _ALREADY_NAMED.match(nombre.strip()):
        name = f"{prefix} {name}"
    return name[:200]


def _coordinate(value: str, limit: int) -> Decimal | None:
    value = _clean(value).replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or number == 0 or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.000001"))


def _ubigeo(value: str) -> str:
    value = value.strip().strip("'\"")
    if value.endswith(".0"):  # spreadsheets turn codes into floats
        value = value[:-2]
    return value.zfill(6) if value.isdigit() and 5 <= len(value) <= 6 else value


def _code(value: str) -> str:
    value = value.strip().strip("'\"")
    if value.endswith(".0"):
        value = value[:-2]
    return value.lstrip("0") or value if value.isdigit() else value


def is_active(row: dict[str, str]) -> bool:
    estado = (row.get("ESTADO") or "").strip().upper()
    condicion = (row.get("CONDICION") or "").strip().upper()
    return estado == "ACTIVO" and condicion in ("", "ACTIVO")


def _values(row: dict[str, str], district_id: str) -> dict[str, Any]:
    hours = _clean(row.get("HORARIO"))
    upper_hours = hours.upper()
    return {
        "name": facility_name(row.get("NOMBRE", ""), row.get("CLASIFICACION", "")),
        "address": _clean(row.get("DIRECCION"))[:300],
        "phones": _clean(row.get("TELEFONO"))[:200],
        "hours": hours[:200],
        "open_24h": "24" in upper_hours and "HORA" in upper_hours,
        "category": _clean(row.get("CATEGORIA"))[:10],
        "district_id": district_id,
        "latitude": _coordinate(row.get("NORTE", ""), 90),
        "longitude": _coordinate(row.get("ESTE", ""), 180),
        "active": True,
        "sector": _sector(row),
        # Curated after the first import (not in REGISTRY_FIELDS): never the kit by default.
        "offers": encode_codes(["medical"]),
    }


def _sector(row: dict[str, str]) -> str:
    institution = (row.get("INSTITUCION") or "").upper()
    if "PRIVAD" in institution:
        return "private"
    return "social_security" if "ESSALUD" in institution else "public"


def read_rows(stream: IO[bytes]) -> Iterator[dict[str, str]]:
    """Rows of a RENIPRESS CSV as dicts keyed by upper-case column names."""
    lines = decoded_lines(stream)
    header_line = next(lines, "")
    if not header_line.strip():
        raise RenipressError("The file is empty.")
    delimiter = _sniff_delimiter(header_line)
    header = [h.strip().strip('"').upper() for h in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RenipressError(f"Missing column(s): {', '.join(missing)}. Is this a RENIPRESS file?")
    width = len(header)
    for values in csv.reader(lines, delimiter=delimiter):
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        yield dict(zip(header, values))


def import_renipress(
    stream: IO[bytes],
    service_model: type[Model],
    district_codes: set[str],
    *,
    source: str = DEFAULT_SOURCE,
    confidence: str = "secondary",
    department: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert the file's active facilities into ``service_model`` (see the module doc);
    ``progress(rows)`` is called every thousand rows."""
    report = ImportReport()
    now = now or timezone.now()
    with transaction.atomic():
        batch: dict[str, dict[str, Any]] = {}
        inactive: set[str] = set()
        for row in read_rows(stream):
            report.rows += 1
            if progress is not None and report.rows % 1000 == 0:
                progress(report.rows)
            code = _code(row.get("COD_IPRESS", ""))
            if not code or not code.isalnum() or len(code) > 12:
                report.skipped_invalid += 1
                continue
            ubigeo = _ubigeo(row.get("UBIGEO", ""))
            if department and not ubigeo.startswith(department):
                continue
            if not is_active(row):
                report.skipped_inactive += 1
                inactive.add(code)
                continue
            if ubigeo not in district_codes:
                report.skipped_unknown_ubigeo += 1
                report.unknown_ubigeos[ubigeo] = report.unknown_ubigeos.get(ubigeo, 0) + 1
                continue
            if not _clean(row.get("NOMBRE")):
                report.skipped_invalid += 1
                continue
            batch[code] = _values(row, ubigeo)
            if len(batch) >= BATCH_SIZE:
                _flush(batch, service_model, report, source, confidence, now)
                batch = {}
            if len(inactive) >= BATCH_SIZE:
                _deactivate(inactive, service_model, report, now)
                inactive = set()
        _flush(batch, service_model, report, source, confidence, now)
        _deactivate(inactive, service_model, report, now)
    return report


def _flush(
    batch: dict[str, dict[str, Any]],
    service_model: type[Model],
    report: ImportReport,
    source: str,
    confidence: str,
    now: datetime,
) -> None:
    """Upsert one batch with ``INSERT … ON CONFLICT (renipress_code) DO UPDATE``
    (SQLite ≥ 3.24 and PostgreSQL): the ORM's per-object overhead would cost 5× the time."""
    if not batch:
        return
    manager = service_model._default_manager
    existing = {
        row["renipress_code"]: row
        for row in manager.filter(renipress_code__in=list(batch)).values("renipress_code", *REGISTRY_FIELDS)
    }
    to_write = []
    for code, values in batch.items():
        old = existing.get(code)
        if old is None:
            report.created += 1
        elif any(old[f] != values[f] for f in REGISTRY_FIELDS):
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        to_write.append((code, values))
    if not to_write:
        return
    connection = connections[manager.db]
    meta = service_model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # What a new row gets besides the registry's values (curated fields keep their
    # current value on update: they are not in the DO UPDATE list).
    base = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    base.update(
        kind="health",
        source=source,
        confidence=confidence,
        updated_at=connection.ops.adapt_datetimefield_value(now),
    )
    decimal = connection.ops.adapt_decimalfield_value
    rows = []
    for code, values in to_write:
        row = dict(base, renipress_code=code, **values)
        row["latitude"] = decimal(values["latitude"], 9, 6)
        row["longitude"] = decimal(values["longitude"], 9, 6)
        rows.append(tuple(row.get(f.attname) for f in fields))
    quote = connection.ops.quote_name
    column = {f.name: quote(str(f.column)) for f in fields}
    updates = ", ".join(f"{column[n]} = excluded.{column[n]}" for n in [*_model_fields(REGISTRY_FIELDS), "updated_at"])
    table, names = quote(meta.db_table), ", ".join(column[f.name] for f in fields)
    upsert = f"ON CONFLICT ({column['renipress_code']}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a scratch table, then one INSERT … SELECT: executemany would pay a
            # round trip per row.
            cursor.execute("DROP TABLE IF EXISTS ruta_renipress_batch")
            cursor.execute(f"CREATE TEMP TABLE ruta_renipress_batch AS SELECT {names} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY ruta_renipress_batch ({names}) FROM STDIN") as copy:
                for record in rows:
                    copy.write_row(record)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM ruta_renipress_batch {upsert}")
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {upsert}", rows)


def _model_fields(names: Iterable[str]) -> list[str]:
    return [n.removesuffix("_id") for n in names]


def _deactivate(codes: set[str], service_model: type[Model], report: ImportReport, now: datetime) -> None:
    if codes:
        report.deactivated += service_model._default_manager.filter(renipress_code__in=list(codes), active=True).update(
            active=False, updated_at=now
        )
