"""Register files in the official schema (all 168 variables of the dictionary) for tests and
the benchmark, and the issue's counts computed from such a file with the ``csv`` module
alone, independently of the importer."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from typing import Any

from ruta.stats.register import variables

__all__ = ["CEMS", "csv_text", "expected_counts", "rows", "variables"]

# Real CEM names of Madre de Dios (MIMP), with the accents Latin-1 copies mangle.
CEMS = ["CEM MADRE DE DIOS", "CEM INAMBARI", "CEM COMISARÍA SALVACIÓN", "CEM HUEPETUHE", "CEM IBERIA"]
DISTRICTS = [("17", "01", "01"), ("17", "01", "02"), ("17", "02", "01"), ("17", "02", "04"), ("17", "03", "02"),
             ("15", "01", "01"), ("08", "01", "08")]


def rows(n: int, seed: int = 13, year: int = 2024, months: tuple[int, int] = (1, 12)) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    names = variables()
    for _ in range(n):
        row = {name: rng.choice(["", "0", "1"]) for name in names}
        dpto, prov, dist = rng.choice(DISTRICTS)
        row.update({
            "CEM": rng.choice(CEMS),
            "FECHA_INGRESO": f"{rng.randint(1, 28):02d}/{rng.randint(*months):02d}/{year}",
            "EDAD_VICTIMA": str(rng.choice([rng.randint(0, 17), rng.randint(0, 95)])),
            "SEXO_VICTIMA": rng.choice("0001"),
            "LENGUA_MATERNA_VICTIMA": rng.choice(["10", "10", "1", "5", "7", "9", "12", "13", "15", ""]),
            "DPTO_DOMICILIO": dpto, "PROV_DOMICILIO": prov, "DIST_DOMICILIO": dist,
            "VINCULO_AGRESOR_VICTIMA": rng.choice("1123"),
            "TIPO_VIOLENCIA": rng.choice("01223"),
            "VIOLACION": rng.choice(["", "", "1"]),
            "PRIMERA_VEZ_AGREDE": rng.choice("01"),
            "NIVEL_DE_RIESGO_VICTIMA": rng.choice("123"),
            "INTERPUSO_DENUNCIA": rng.choice("01"),
            "CENTRO_POBLADO_DOMICILIO": "PUERTO MALDONADO",
        })
        yield row


def csv_text(records: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=variables(), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def expected_counts(data: bytes, encoding: str, department: str | None = None,
                    year: int | None = None) -> dict[str, Any]:
    """The issue's definitions, straight from the raw file."""
    text = data.decode(encoding).lstrip("\ufeff")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    sexes = {"0": "female", "1": "male"}
    by_sex = {s: dict.fromkeys(("total", "age_0_17", "sexual", "partner", "family", "severe", "complaint_filed"), 0)
              for s in sexes.values()}
    out: dict[str, Any] = {"department": department, "year": year, "total": 0, "by_sex": by_sex,
                           "rape_reports": 0, "rape_reports_girls_under_18": 0, "repeat_aggression": 0}
    for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
        if department and row["DPTO_DOMICILIO"] != department:
            continue
        if year and int(row["FECHA_INGRESO"].split("/")[2]) != year:
            continue
        out["total"] += 1
        age = int(row["EDAD_VICTIMA"])
        sex = sexes.get(row["SEXO_VICTIMA"])
        if sex:
            cell = by_sex[sex]
            cell["total"] += 1
            cell["age_0_17"] += age <= 17
            cell["sexual"] += row["TIPO_VIOLENCIA"] == "3"
            cell["partner"] += row["VINCULO_AGRESOR_VICTIMA"] == "1"
            cell["family"] += row["VINCULO_AGRESOR_VICTIMA"] == "2"
            cell["severe"] += row["NIVEL_DE_RIESGO_VICTIMA"] == "3"
            cell["complaint_filed"] += row["INTERPUSO_DENUNCIA"] == "1"
        if row["VIOLACION"] == "1":
            out["rape_reports"] += 1
            out["rape_reports_girls_under_18"] += row["SEXO_VICTIMA"] == "0" and age < 18
        out["repeat_aggression"] += row["PRIMERA_VEZ_AGREDE"] == "0"
    return out
