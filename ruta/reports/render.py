"""The donor report as PDF (WeasyPrint) and XLSX (XlsxWriter)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import xlsxwriter
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ruta.lib import numbers
from ruta.reports import charts
from ruta.reports.donor import DonorReport

PDF_CSS = Path(__file__).with_name("pdf.css")


def context(report: DonorReport) -> dict[str, Any]:
    return {
        "report": report,
        "charts": {"progress": charts.data_uri(charts.progress_chart(report)),
                   "trend": charts.data_uri(charts.trend_chart(report))},
        "monthly": list(zip(report.months, report.youth_by_month_shown, report.sessions_by_month)),
    }


def document(report: DonorReport) -> Any:
    """The laid-out WeasyPrint document (pages and boxes), before it becomes PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("reports/donor_report_pdf.html", context(report))
    # The document holds everything (charts are data: URIs): nothing is fetched from anywhere.
    fetcher = URLFetcher(allowed_protocols={"data"})
    stylesheet = CSS(string=PDF_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=[stylesheet])


def filename(programme: Any, period: Any, fmt: str) -> str:
    return f"ruta-donor-report-{programme.pk}-{period.slug}.{fmt}"


def pdf(report: DonorReport) -> bytes:
    return document(report).write_pdf()  # type: ignore[no-any-return]


def xlsx(report: DonorReport) -> bytes:
    """Cover, narrative, indicators, targets (with a native chart), tables, trend, definitions, note."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
    title = book.add_format({"bold": True, "font_size": 16, "font_color": "#3F1D5E"})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#F3F1F7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    number = book.add_format({"num_format": "#,##0.##"})

    def put(sheet: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        # Numbers as numbers; everything else (including "<5") as text, never a formula.
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(r, c, value, fmt or number)
        elif value is None:
            sheet.write_blank(r, c, None, fmt)
        else:
            sheet.write_string(r, c, str(value), fmt)

    def cell(text: str) -> Any:
        return text if text.startswith(("<", "n<", "—", "x")) else numbers.parse(text)

    p = report.programme
    cover = book.add_worksheet(_("Cover")[:31])
    cover.set_column(0, 0, 28)
    cover.set_column(1, 1, 70)
    put(cover, 0, 0, _("Report to the donor"), title)
    rows = [(_("Programme"), p.name), (_("Donor"), p.donor),
            (_("Implementing organisation"), str(p.organisation or "")),
            (_("Reporting period"), report.period.label),
            (_("Period of the figures"), report.figures_label),
            (_("Produced"), report.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    for r, (k, v) in enumerate(rows, start=2):
        put(cover, r, 0, k, bold)
        put(cover, r, 1, v)
    put(cover, len(rows) + 3, 0, _("About small numbers"), bold)
    put(cover, len(rows) + 3, 1, str(report.note), wrap)

    narrative = book.add_worksheet(_("Narrative")[:31])
    narrative.set_column(0, 0, 28)
    narrative.set_column(1, 1, 100, wrap)
    n = report.narrative
    parts = [(_("Summary"), n.summary if n else ""), (_("Achievements"), n.achievements if n else ""),
             (_("Challenges and how they were addressed"), n.challenges if n else ""),
             (_("Next steps"), n.next_steps if n else "")]
    for r, (k, v) in enumerate(parts):
        put(narrative, r, 0, k, bold)
        put(narrative, r, 1, v, wrap)

    sheet = book.add_worksheet(_("Indicators")[:31])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 2, 16)
    for c, h in enumerate([_("Indicator"), _("Value"), _("Unit"), _("Code")]):
        put(sheet, 0, c, h, head)
    for r, row in enumerate(report.indicators, start=1):
        put(sheet, r, 0, str(row.name))
        put(sheet, r, 1, cell(row.value))
        put(sheet, r, 2, str(row.unit))
        put(sheet, r, 3, row.code)

    sheet = book.add_worksheet(_("Targets")[:31])
    sheet.set_column(0, 1, 34)
    sheet.set_column(2, 6, 14)
    for c, h in enumerate([_("Indicator"), _("Disaggregation"), _("Target"), _("Reached"), _("% of target"),
                           _("Expected by now"), _("Status")]):
        put(sheet, 0, c, h, head)
    for r, t in enumerate(report.targets, start=1):
        put(sheet, r, 0, str(t.name))
        put(sheet, r, 1, t.slice_label)
        put(sheet, r, 2, float(t.target))
        put(sheet, r, 3, cell(t.actual))
        put(sheet, r, 4, t.progress if t.progress is not None else "—")
        put(sheet, r, 5, cell(t.expected))
        put(sheet, r, 6, t.check.label if t.check else "—")
    if report.targets:
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"name": _("% of target"), "categories": [sheet.name, 1, 1, len(report.targets), 1],
                          "values": [sheet.name, 1, 4, len(report.targets), 4], "fill": {"color": "#5B2A86"}})
        chart.set_title({"name": _("Progress to targets (% of target)")})
        chart.set_legend({"none": True})
        sheet.insert_chart(len(report.targets) + 3, 0, chart, {"x_scale": 1.6, "y_scale": 1.3})

    sheet = book.add_worksheet(_("Disaggregation")[:31])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 8, 14)
    r = 0
    for table in report.tables:
        put(sheet, r, 0, table.title, bold)
        r += 1
        extra = [_("Total")] if table.totals_shown else []
        for c, h in enumerate([table.row_label, *table.columns, *extra]):
            put(sheet, r, c, h, head)
        r += 1
        for label, cells, total in table.rows:
            put(sheet, r, 0, label)
            for c, v in enumerate([*cells, total] if table.totals_shown else cells, start=1):
                put(sheet, r, c, cell(v))
            r += 1
        if table.rows and table.totals_shown:
            put(sheet, r, 0, _("Total"), bold)
            for c, v in enumerate([*table.totals, table.total], start=1):
                put(sheet, r, c, cell(v))
            r += 1
        r += 1

    sheet = book.add_worksheet(_("Monthly trend")[:31])
    sheet.set_column(0, 2, 22)
    for c, h in enumerate([_("Month"), _("New young people reached"), _("Sessions delivered")]):
        put(sheet, 0, c, h, head)
    for r, (month, youth, sessions) in enumerate(zip(report.months, report.youth_by_month_shown,
                                                     report.sessions_by_month), start=1):
        put(sheet, r, 0, month)
        put(sheet, r, 1, cell(youth))
        put(sheet, r, 2, sessions)
    if report.months:
        chart = book.add_chart({"type": "column"})
        chart.add_series({"name": _("Sessions delivered"), "categories": [sheet.name, 1, 0, len(report.months), 0],
                          "values": [sheet.name, 1, 2, len(report.months), 2], "fill": {"color": "#1E6B3A"}})
        chart.set_title({"name": _("Sessions delivered per month")})
        sheet.insert_chart(1, 4, chart)

    sheet = book.add_worksheet(_("Definitions")[:31])
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 100, wrap)
    for c, h in enumerate([_("Indicator"), _("Definition")]):
        put(sheet, 0, c, h, head)
    for r, row in enumerate(report.indicators, start=1):
        put(sheet, r, 0, str(row.name))
        put(sheet, r, 1, str(row.definition), wrap)
    put(sheet, len(report.indicators) + 2, 0, _("About small numbers"), bold)
    put(sheet, len(report.indicators) + 2, 1, str(report.note), wrap)
    if report.case_note:
        put(sheet, len(report.indicators) + 3, 1, str(report.case_note), wrap)
    book.close()
    return out.getvalue()
