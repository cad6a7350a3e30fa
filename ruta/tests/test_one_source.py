"""One source for each rule: code tables are defined once, and apps import only downwards
(docs/architecture.md, "Apps and the dependency rule")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

RUTA = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for p in RUTA.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts)
# Being moved into a package by another change; they should use ruta.geo.codes.MADRE_DE_DIOS too.
MADRE_DE_DIOS_PENDING: set[str] = set()


def _rel(path: Path) -> str:
    return path.relative_to(RUTA).as_posix()


@pytest.mark.parametrize(("name", "home"), [
    ("StepCode", "pathway/codes.py"),
    ("InstitutionKind", "pathway/codes.py"),
    ("Relationship", "pathway/codes.py"),
    ("ReporterRole", "pathway/codes.py"),
    ("Confidence", "lib/codes.py"),
    ("Sex", "lib/codes.py"),
    ("ReferralStatus", "cases/codes.py"),
])
def test_each_code_table_is_defined_once(name: str, home: str) -> None:
    defined = [_rel(p) for p in SOURCES if re.search(rf"^class {name}\b", p.read_text(), re.M)]
    assert defined == [home]


def test_madre_de_dios_is_named_not_written() -> None:
    bare = [_rel(p) for p in SOURCES if re.search(r"""(["'])17\1""", p.read_text())]
    assert sorted(set(bare) - MADRE_DE_DIOS_PENDING) == ["geo/codes.py"]


# What each app may import from Ruta besides itself. accounts, audit, lib and testing serve all;
# so do keys (the key check), jobs (background work) and exports (the person-level export log).
SERVING = {"accounts", "audit", "lib", "testing", "keys", "jobs", "exports"}
BASE = {"accounts", "audit", "lib", "testing", "keys"}
ALLOWED = {
    "keys": {"accounts", "audit", "lib", "testing"},
    "jobs": BASE,
    "exports": BASE,
    "backups": BASE,
    "lib": set(),
    "geo": {"lib"},
    "directory": {"geo"} | SERVING,
    "pathway": {"directory", "geo"} | SERVING,
    "cases": {"pathway", "directory", "geo"} | SERVING,
    "program": {"geo"} | SERVING,
    "learning": {"program", "geo"} | SERVING,
    "reports": {"program", "geo", "stats", "cases"} | SERVING,
    "stats": {"program", "cases", "pathway", "directory", "geo"} | SERVING,
    # Erasure reaches into cases and programme data; its tests read the figures of reports and stats.
    "retention": {"program", "cases", "reports", "stats", "pathway", "directory", "geo"} | SERVING,
}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_downwards(app: str) -> None:
    wrong = set()
    for path in (RUTA / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                parts = name.split(".")
                if parts[0] == "ruta" and len(parts) > 1 and parts[1] not in ALLOWED[app] | {app}:
                    wrong.add(f"{_rel(path)} imports {name}")
    assert not wrong


def test_nothing_imports_the_public_site() -> None:
    importers = {_rel(p) for p in RUTA.rglob("*.py") if "portal" not in p.parts
                 and re.search(r"^\s*(from|import) ruta\.portal\b", p.read_text(), re.M)}
    assert importers <= {"settings.py", "urls.py"}
