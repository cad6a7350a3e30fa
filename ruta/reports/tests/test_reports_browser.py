"""In a real browser: the donor sees the donor report with its charts and downloads the PDF
and the XLSX; the coordinator edits the narrative. axe-core finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_donor_reads_and_downloads_the_report(page: Any, ruta_server: str,
                                                  demo_logins: dict[str, Any]) -> None:
    login_as(page, ruta_server, demo_logins["donante"])
    page.goto(f"{ruta_server}/reportes/")
    page.click("main .card a")
    page.wait_for_selector(".donor-report")
    # Both charts are drawn (server-side SVG in an <img>) and have their tables.
    widths = page.eval_on_selector_all(".report-chart img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 2 and all(w > 0 for w in widths)
    assert "<5" in page.inner_text("#disaggregation") or "<5" in page.inner_text("#trend")
    assert page.query_selector("a[href*='narrativa']") is None  # the donor does not edit
    assert_no_axe_violations(page)
    xlsx = page.request.get(ruta_server + page.get_attribute("a[href*='reporte.xlsx']", "href"))
    assert xlsx.ok and xlsx.body().startswith(b"PK")
    # The PDF is written by the background worker; the job page follows it and offers it.
    page.click("form[action*='reporte.pdf'] button")
    page.wait_for_url("**/tareas/**")
    link = page.wait_for_selector("a[href*='descargar']", timeout=60_000)
    assert_no_axe_violations(page)
    pdf = page.request.get(ruta_server + link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")


def test_the_coordinator_edits_the_narrative(page: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    login_as(page, ruta_server, demo_logins["coordinadora"])
    page.goto(f"{ruta_server}/reportes/")
    page.click("main .card a")
    page.click("a[href*='narrativa']")
    assert_no_axe_violations(page)
    page.fill("#id_summary", "Resumen escrito en la prueba de navegador.")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".donor-report")
    assert "Resumen escrito en la prueba de navegador." in page.inner_text("#narrative")
