"""Load the UBIGEO table shipped in ``data/ubigeo.csv`` (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

UBIGEO_CSV = Path(__file__).parent / "data" / "ubigeo.csv"


def read_ubigeo(path: Path = UBIGEO_CSV) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for raw in csv.DictReader(f):
            dep, prov, dist = (raw[k].strip().zfill(2) for k in ("Codigo_dpto", "Codigo_prov", "Codigo_dist"))
            rows.append({
                "department": dep, "department_name": raw["dpto"].strip(),
                "province": dep + prov, "province_name": raw["Prov"].strip(),
                "district": dep + prov + dist, "district_name": raw["dist"].strip(),
            })
    return rows


def load_ubigeo(Department: Any, Province: Any, District: Any) -> int:
    """Create or rename every department, province and district; returns the district count."""
    rows = read_ubigeo()
    deps = {r["department"]: r["department_name"] for r in rows}
    provs = {r["province"]: (r["province_name"], r["department"]) for r in rows}
    Department.objects.bulk_create(
        [Department(code=c, name=n) for c, n in deps.items()],
        update_conflicts=True, unique_fields=["code"], update_fields=["name"],
    )
    Province.objects.bulk_create(
        [Province(code=c, name=n, department_id=d) for c, (n, d) in provs.items()],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "department"],
    )
    District.objects.bulk_create(
        [District(code=r["district"], name=r["district_name"], province_id=r["province"]) for r in rows],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "province"],
        batch_size=500,
    )
    return len(rows)
