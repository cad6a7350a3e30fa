"""Reference data of programme monitoring: the schools of MINEDU's padrón.

``load()`` (migration 0011, and conftest after a test flush) loads the copy in
``data/padron_iiee_madre_de_dios.csv`` when no padrón school is there yet; ``load_padron``
reads any padrón file in the same format (a newer one a coordinator imports), keeps the rows
of the given department, and updates or adds by MINEDU code (código modular + anexo).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ruta.geo.codes import MADRE_DE_DIOS

PADRON = Path(__file__).with_name("data") / "padron_iiee_madre_de_dios.csv"
PADRON_SOURCE = "MINEDU, padrón de instituciones educativas (ESCALE), 29-12-2024"
REQUIRED = ("COD_MOD", "ANEXO", "CEN_EDU", "CODGEO")
MAX_ROWS = 200_000  # the national file has about 180,000


class PadronError(ValueError):
    pass


@dataclass(frozen=True)
class PadronResult:
    added: int
    updated: int
    skipped: int  # rows of other departments or without a known district


def _text(stream: IO[bytes] | IO[str]) -> IO[str]:
    raw = stream.read()
    if isinstance(raw, str):
        return io.StringIO(raw)
    for encoding in ("utf-8-sig", "latin-1"):  # MINEDU files have been seen in both
        try:
            return io.StringIO(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise PadronError("undecodable")  # latin-1 decodes anything; kept for the type checker


def load_padron(stream: IO[bytes] | IO[str], *, source: str, department: str = MADRE_DE_DIOS, models: Any = None,
                user: Any = None) -> PadronResult:
    """Add or update the schools of ``department`` found in a padrón file; raises PadronError
    when the file is not a padrón (its columns are missing)."""
    district_model, school_model = models if models is not None else _models()
    reader = csv.DictReader(_text(stream))
    if not reader.fieldnames or any(c not in reader.fieldnames for c in REQUIRED):
        raise PadronError("columns")
    districts = set(district_model.objects.filter(code__startswith=department).values_list("code", flat=True))
    existing = {s.minedu_code: s for s in school_model.objects.exclude(minedu_code="")}
    added = updated = skipped = 0
    new = []
    for n, row in enumerate(reader):
        if n >= MAX_ROWS:
            raise PadronError("rows")
        district = (row.get("CODGEO") or "").strip().zfill(6)
        code = f"{(row.get('COD_MOD') or '').strip()}-{(row.get('ANEXO') or '0').strip() or '0'}"
        name = " ".join((row.get("CEN_EDU") or "").split())[:200]
        if district not in districts or not name or code.startswith("-"):
            skipped += 1
            continue
        fields = {"name": name, "level": (row.get("D_NIV_MOD") or "").strip()[:80], "district_id": district,
                  "place": " ".join((row.get("CEN_POB") or "").split())[:200].title(),
                  "active": (row.get("ESTADO") or "1").strip() in ("1", "Activa", ""), "source": source[:200]}
        school = existing.get(code)
        if school is None:
            new.append(school_model(minedu_code=code, added_by=user, **fields))
            existing[code] = new[-1]
            added += 1
        else:
            if school.pk is not None and any(getattr(school, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(school, k, v)
                school.save()
                updated += 1
    school_model.objects.bulk_create(new, batch_size=500)
    return PadronResult(added, updated, skipped)


def _models() -> tuple[Any, Any]:
    from ruta.geo.models import District
    from ruta.program.models import School

    return District, School


def load(models: Any = None) -> None:
    """The padrón copy in data/, unless padrón schools are there already (``models``: a migration's)."""
    school_model = (models or _models())[1]
    if school_model.objects.exclude(minedu_code="").exists():
        return
    with PADRON.open("rb") as stream:
        load_padron(stream, source=PADRON_SOURCE, models=models)


PREFIXES = ("i.e. ", "i.e ", "ie ", "iiee ", "institucion educativa ", "colegio ", "c.e. ")


def school_key(text: str) -> str:
    """A school's name as compared: no accents, case, prefix ("I.E.", "Colegio") or N.º mark."""
    from ruta.program.models import normalise_name

    name = normalise_name(text)
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    return " ".join(name.replace("n.o ", "").replace("n° ", "").replace("nro ", "").split())


def link_free_text_schools(participant_model: Any = None, school_model: Any = None) -> int:
    """Link each participant whose free-text school is the name of a school of their district;
    the text stays as written, and where nothing matches it is all there is. Returns how many."""
    if participant_model is None or school_model is None:
        from ruta.program.models import Participant, School

        participant_model, school_model = Participant, School
    by_name: dict[tuple[str, str], int] = {}
    # One school can have several rows (secondary, adult education…): the secondary one wins.
    for s in sorted(school_model.objects.all(), key=lambda s: (s.level != "Secundaria", s.pk)):
        by_name.setdefault((s.district_id, school_key(s.name)), s.pk)
    links: dict[int, list[int]] = {}
    rows = (participant_model.objects.filter(school__isnull=True).exclude(organisation="")
            .values_list("pk", "district_id", "organisation"))
    for pk, district, text in rows.iterator(chunk_size=5000):
        school = by_name.get((district, school_key(text)))
        if school is not None:
            links.setdefault(school, []).append(pk)
    for school, ids in links.items():
        participant_model.objects.filter(pk__in=ids).update(school_id=school)
    return sum(map(len, links.values()))
