"""Where districts are, and how far apart two points are.

District centroids come from MINSA's ``TB_UBIGEOS`` (``data/minsa_tb_ubigeos_madre_de_dios.csv``,
Madre de Dios only). Distances are straight lines, computed the same way here and in the
offline guide's script (``pathway/static/pathway/guide.js``): an equirectangular
approximation, exact to well under 1 % at the distances of a department.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
UBIGEOS = DATA / "minsa_tb_ubigeos_madre_de_dios.csv"
EARTH_RADIUS_KM = 6371.0


@cache
def district_centroids() -> dict[str, tuple[float, float]]:
    """UBIGEO → (latitude, longitude) of the district's centroid."""
    with UBIGEOS.open(encoding="utf-8") as f:
        return {r["ubigeo_inei"]: (float(r["latitud"]), float(r["longitud"])) for r in csv.DictReader(f)}


@cache
def district_codes_by_name() -> dict[tuple[str, str], str]:
    """(PROVINCE, DISTRICT) as MINSA and MIMP spell them, upper case → UBIGEO."""
    with UBIGEOS.open(encoding="utf-8") as f:
        return {(r["provincia"].strip().upper(), r["distrito"].strip().upper()): r["ubigeo_inei"]
                for r in csv.DictReader(f)}


@cache
def minsa_ubigeo_ids() -> dict[str, str]:
    """MINSA's own ``id_ubigeo`` → INEI UBIGEO."""
    with UBIGEOS.open(encoding="utf-8") as f:
        return {r["id_ubigeo"]: r["ubigeo_inei"] for r in csv.DictReader(f)}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Straight-line distance in km, rounded down to 10 m (so guide.js sorts the same way)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return math.floor(math.sqrt(x * x + y * y) * EARTH_RADIUS_KM * 100) / 100


def by_distance(services: Iterable[Any], district_code: str) -> list[Any]:
    """``services`` (Service objects) nearest first from the district's centroid, national
    lines on top; each gets ``km`` (None for national lines and for services without
    coordinates of their own, which are sorted as if at their district's centroid)."""
    centroids = district_centroids()
    origin = centroids.get(district_code)
    rows = list(services)
    order: dict[int, float] = {}
    for s in rows:
        s.km = None
        if origin is None or s.national:
            continue
        if s.latitude is not None and s.longitude is not None:
            s.km = distance_km(origin[0], origin[1], float(s.latitude), float(s.longitude))
            order[s.pk] = s.km
        elif s.district_id in centroids:
            lat, lon = centroids[s.district_id]
            order[s.pk] = distance_km(origin[0], origin[1], lat, lon)
    # Stable: national lines keep their order (24-hour ones first).
    rows.sort(key=lambda s: (0, 0.0, "", 0) if s.national else (1, order.get(s.pk, 1e9), s.name, s.pk))
    return rows
