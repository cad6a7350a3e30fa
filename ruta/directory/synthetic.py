"""Generate RENIPRESS-shaped CSV files (same 33 columns as SUSALUD's national file) for
the importer's tests and benchmark. The values are synthetic; the shape is real."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from pathlib import Path

COLUMNS = (
    "INSTITUCION,COD_IPRESS,NOMBRE,CLASIFICACION,TIPO_ESTABLECIMIENTO,DEPARTAMENTO,PROVINCIA,DISTRITO,UBIGEO,"
    "DIRECCION,CO_DISA,COD_RED,COD_MICRORRED,DISA,RED,MICRORED,COD_UE,UNIDAD_EJECUTORA,CATEGORIA,TELEFONO,"
    "HORARIO,INICIO_ACTIVIDAD,ESTADO,SITUACION,CONDICION,NORTE,ESTE,IMAGEN_1,FE_ACT_IMAGEN_1,IMAGEN_2,"
    "FE_ACT_IMAGEN_2,IMAGEN_3,FE_ACT_IMAGEN_3"
).split(",")

_CLASSES = [
    ("PUESTOS DE SALUD O POSTAS DE SALUD", "I-1"),
    ("CENTROS DE SALUD O CENTROS MEDICOS", "I-3"),
    ("CENTROS DE SALUD CON CAMAS DE INTERNAMIENTO", "I-4"),
    ("HOSPITALES O CLINICAS DE ATENCION GENERAL", "II-1"),
]
_NAMES = ["SANTA ROSA", "SEÑOR DE LOS MILAGROS", "IÑAPARI", "SAN JOSÉ", "NUEVA ESPERANZA", "MARÍA AUXILIADORA"]


def renipress_rows(count: int, districts: Sequence[str], *, seed: int = 3, inactive_every: int = 0) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        clasificacion, categoria = rng.choice(_CLASSES)
        ubigeo = districts[i % len(districts)]
        estado = "INACTIVO" if inactive_every and i % inactive_every == inactive_every - 1 else "ACTIVO"
        values = {
            "INSTITUCION": "GOBIERNO REGIONAL",
            "COD_IPRESS": str(100000 + i),
            "NOMBRE": f"{rng.choice(_NAMES)} {i}",
            "CLASIFICACION": clasificacion,
            "TIPO_ESTABLECIMIENTO": "ESTABLECIMIENTO DE SALUD SIN INTERNAMIENTO",
            "UBIGEO": ubigeo,
            "DIRECCION": f"AV. PERÚ {i}, MZ. Ñ",
            "CATEGORIA": categoria,
            "TELEFONO": f"9{rng.randrange(10**8):08d}",
            "HORARIO": "24 HORAS" if categoria in ("I-4", "II-1") else "7:00 - 19:00",
            "ESTADO": estado,
            "SITUACION": "REGISTRADO",
            "CONDICION": estado,
            "NORTE": f"{-rng.uniform(0.1, 18):.8f}",
            "ESTE": f"{-rng.uniform(69, 81):.8f}",
        }
        rows.append([values.get(c, "") for c in COLUMNS])
    return rows


def write_renipress(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "latin-1",
    delimiter: str = ",",
    header: Sequence[str] = COLUMNS,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
