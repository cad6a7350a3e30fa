"""Server-side SVG charts of the donor report (pygal), each paired with a table of its data
in the report itself, so a screen reader (and the PDF's reader) loses nothing."""

from __future__ import annotations

import base64

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from ruta.lib import numbers
from ruta.program.charts import LABEL_CHARS, target_label
from ruta.reports.donor import DonorReport

STATUS_COLOURS = {"on_track": "#1e6b3a", "behind": "#8a4b00", "at_risk": "#a3172a"}

STYLE = Style(
    background="white", plot_background="white", foreground="#1b1b1f", foreground_strong="#1b1b1f",
    foreground_subtle="#cfc9d8", colors=("#5b2a86", "#1e6b3a", "#8a4b00", "#a3172a"),
    font_family="DejaVu Sans, sans-serif", label_font_size=12, major_label_font_size=12, legend_font_size=12,
    title_font_size=15, value_font_size=11,
)
OPTIONS = {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 760, "height": 360,
           "print_values": False, "show_legend": True, "legend_at_bottom": True, "margin": 12}


def progress_chart(report: DonorReport) -> str | None:
    """Percent of each target reached (targets whose figure is suppressed are left out)."""
    rows = [t for t in report.targets if t.progress is not None]
    if not rows:
        return None
    chart = pygal.HorizontalBar(title=_("Progress to targets (% of target)"), range=(0, max(100, *[
        min(t.progress or 0, 200) for t in rows])), **OPTIONS)
    chart.height = 120 + 40 * len(rows)
    chart.truncate_label = LABEL_CHARS
    chart.value_formatter = lambda v: numbers.percent(v)
    top = max(100, *[min(t.progress or 0, 200) for t in rows])
    chart.y_labels = list(range(0, int(top) + 1, 25 if top <= 100 else 50))  # few ticks, never run together
    rows = rows[::-1]  # pygal draws the first label at the bottom: the youth targets read first
    chart.x_labels = [target_label(str(t.name), t.slice_label) for t in rows]
    chart.add(_("% of target"), [
        {"value": min(t.progress or 0, 200), "color": STATUS_COLOURS[str(t.check.status)]} if t.check
        else min(t.progress or 0, 200) for t in rows])
    chart.show_legend = False
    return chart.render(is_unicode=True)


def trend_chart(report: DonorReport) -> str | None:
    if not report.months:
        return None
    chart = pygal.Bar(title=_("Per month: new young people reached and sessions delivered"), **OPTIONS)
    chart.x_labels = report.months
    chart.x_label_rotation = 30 if len(report.months) > 8 else 0
    chart.truncate_label = -1
    chart.value_formatter = lambda v: numbers.count(v)
    chart.add(_("New young people reached"), report.youth_by_month)
    chart.add(_("Sessions delivered"), report.sessions_by_month)
    return chart.render(is_unicode=True)


def data_uri(svg: str | None) -> str:
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
