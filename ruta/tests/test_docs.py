"""The guides under docs/ say what the code and the measurements say: the code they name
exists, the bench results they cite are there, and what was measured is not called unmeasured."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))


def _defines(path: Path, pattern: str) -> bool:
    names = re.findall(r"^\s*(?:def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=", path.read_text(), re.M)
    return any(re.fullmatch(pattern, d or v) for d, v in names)


def test_code_the_docs_name_exists() -> None:
    # `ruta/lib/suppression.py: protect_*`, `ruta/cases/policy.py: get_case_for_user`, …
    missing = []
    for doc in DOCS:
        for path, name in re.findall(r"`(ruta/[\w/]+\.py): ?(\w+\*?)", doc.read_text()):
            file = ROOT / path
            if not file.exists() or not _defines(file, re.escape(name).replace(r"\*", r"\w*")):
                missing.append(f"{doc.name}: {path}: {name}")
    assert not missing


def test_functions_the_docs_name_by_prefix_exist() -> None:
    # "the older `suppress_*` functions …": a guide must not send a reader to removed code.
    sources = [p for p in (ROOT / "ruta").rglob("*.py") if "tests" not in p.parts]
    missing = [f"{doc.name}: {prefix}_*" for doc in DOCS
               for prefix in re.findall(r"`(\w+)_\*` functions", doc.read_text())
               if not any(_defines(p, rf"{prefix}_\w+") for p in sources)]
    assert not missing


def test_bench_results_the_docs_cite_exist() -> None:
    cited = {(doc.name, name) for doc in DOCS
             for name in re.findall(r"bench/results/([\w.-]+\.json)", doc.read_text())}
    assert cited
    assert not [c for c in cited if not (ROOT / "bench" / "results" / c[1]).exists()]


def test_the_statistics_guide_reports_every_million_row_run() -> None:
    guide = (ROOT / "docs" / "statistics.md").read_text()
    million = [p.name for p in sorted((ROOT / "bench" / "results").glob("stats-*.json"))
               if json.loads(p.read_text())["args"].get("rows") == 1_000_000]
    assert {n.split("-")[1] for n in million} == {"sqlite", "postgresql"}
    assert [n for n in million if n not in guide] == []
    assert not re.search(r"[Nn]ot measured[^.]*1,000,000", guide)
