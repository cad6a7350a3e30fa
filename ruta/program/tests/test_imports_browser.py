"""In a real browser, on a phone-sized screen: the coordinator imports a file with an error and
sees it by row and column, then a good one; reviews duplicates and opens the exports. axe-core
finds nothing on any of these screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, fits_the_screen, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}
HEADER = "participant_code,sex,birth_date,group,district,guardian_consent\n"



def _programme_id(page: Any, base: str) -> str:
    page.goto(f"{base}/reportes/")
    href = page.get_attribute("main .card a", "href")
    assert href
    return href.rstrip("/").rsplit("/", 1)[-1]


def test_the_coordinator_imports_reviews_duplicates_and_exports(
    page: Any, ruta_server: str, demo_logins: dict[str, Any], tmp_path: Path
) -> None:
    login_as(page, ruta_server, demo_logins["coordinadora"])
    pk = _programme_id(page, ruta_server)
    page.set_viewport_size(PHONE)
    page.goto(f"{ruta_server}/programa/{pk}/importar/")
    assert fits_the_screen(page)
    assert_no_axe_violations(page)

    bad = tmp_path / "con-error.csv"
    bad.write_text(HEADER + "E2E-0001,female,2001-02-03,youth,170101,\nE2E-0002,male,31/02/2001,youth,999999,\n")
    page.check("input[value=participants]")
    page.set_input_files("#id_file", str(bad))
    page.click("main form button[type=submit]")
    # The background worker reads the file; the job page follows it and then shows the errors.
    page.wait_for_url("**/tareas/**")
    page.wait_for_selector(".import-errors", timeout=60_000)
    errors = page.inner_text(".import-errors table")
    assert "C · birth_date" in errors and "E · district" in errors
    assert "No se guardó nada" in page.inner_text("#job-status")
    assert_no_axe_violations(page)

    good = tmp_path / "bien.csv"
    good.write_text(HEADER + "E2E-0001,female,2001-02-03,youth,170101,\n")
    page.goto(f"{ruta_server}/programa/{pk}/importar/")
    page.check("input[value=participants]")
    page.set_input_files("#id_file", str(good))
    page.click("main form button[type=submit]")
    page.wait_for_selector(".import-ok", timeout=60_000)
    assert "1" in page.inner_text(".import-summary")

    page.goto(f"{ruta_server}/programa/{pk}/duplicados/")
    assert_no_axe_violations(page)
    page.goto(f"{ruta_server}/programa/{pk}/exportar/")
    assert_no_axe_violations(page)
    page.goto(f"{ruta_server}/programa/{pk}/exportar/participants.csv")
    assert_no_axe_violations(page)
    page.fill("#id_purpose", "Prueba de exportación en el navegador")
    with page.expect_download() as download:
        page.click("main form button[type=submit]")
    assert "E2E-0001" in Path(download.value.path()).read_text(encoding="utf-8-sig")
