"""Server-side SVG charts (pygal), drawn from the same figures as the tables beside them.
No script, nothing from other origins; suppressed cells are simply left out."""

from __future__ import annotations

import re
from typing import Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from ruta.lib import numbers

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1b1b1f", foreground_strong="#1b1b1f",
    foreground_subtle="#4a4a55", colors=("#5b2a86", "#1e6b3a", "#8a4b00", "#a3172a"),
    font_family="system-ui, sans-serif", label_font_size=13, major_label_font_size=13, legend_font_size=14,
    title_font_size=16, value_font_size=12,
)
CONFIG: dict[str, Any] = {"js": [], "disable_xml_declaration": True, "style": STYLE, "width": 800,
                          "height": 380, "print_values": False, "show_y_guides": True, "legend_at_bottom": True}


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _render(chart: Any) -> str:
    """pygal writes its configuration in a <script>: an image never runs it, drop it anyway."""
    chart.config.no_data_text = _("No data")
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


LABEL_CHARS = 60  # a bar's label; longer ones end in "…" (the table beside the chart has them whole)


def target_label(indicator: str, slice_label: str) -> str:
    """"Young people reached · Female"; the indicator alone for its overall target."""
    return indicator if slice_label in ("", str(_("All"))) else f"{indicator} · {slice_label}"


# Bar colours of a target's status (the words are in the table beside the chart).
STATUS_COLOURS = {"on_track": "#1e6b3a", "behind": "#8a4b00", "at_risk": "#a3172a"}


def _localised(chart: Any, percent: bool = False) -> None:
    """Numbers on the axis and in labels as the page writes them (ruta.lib.numbers)."""
    chart.value_formatter = (lambda v: numbers.percent(v)) if percent else (lambda v: numbers.count(v))  # noqa: E731


def trend_svg(report: dict[str, Any]) -> str:
    trend = report["trend"]
    chart = pygal.Bar(title=_("New young people reached and sessions, by month"), **CONFIG)
    chart.x_labels = trend["months"]
    chart.x_label_rotation = 45
    chart.truncate_label = -1
    _localised(chart)
    chart.add(_("New young people reached"), trend["new"])
    chart.add(_("Sessions delivered"), trend["sessions"])
    return _render(chart)


def targets_svg(report: dict[str, Any]) -> str:
    rows = [t for t in report["targets"] if t["percent"] is not None]
    config = {**CONFIG, "height": max(CONFIG["height"], 120 + 44 * len(rows)), "truncate_label": LABEL_CHARS}
    chart = pygal.HorizontalBar(title=_("Progress to targets (%)"), range=(0, 100), **config)
    # pygal draws the first label at the bottom: reversed, the youth targets read first.
    rows = rows[::-1]
    chart.x_labels = [target_label(str(t["indicator"].name), str(t["slice"])) for t in rows]
    chart.y_labels = [0, 25, 50, 75, 100]  # few ticks: the labels of many would run together
    _localised(chart, percent=True)
    chart.add(_("% of target"), [
        {"value": min(t["percent"], 100), "color": STATUS_COLOURS.get(str(t["check"].status), STYLE.colors[0])}
        if t.get("check") else min(t["percent"], 100) for t in rows])
    chart.show_legend = False
    return _render(chart)


def districts_svg(report: dict[str, Any]) -> str:
    d = report["districts"]
    chart = pygal.HorizontalBar(title=_("Young people reached by district"), truncate_label=-1, **CONFIG)
    _localised(chart)
    chart.x_labels = d["names"]
    chart.add(_("Young people reached"), d["youth"])
    return _render(chart)


CHARTS = {"tendencia": trend_svg, "metas": targets_svg, "distritos": districts_svg}
