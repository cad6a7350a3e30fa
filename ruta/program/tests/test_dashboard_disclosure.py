"""The programme dashboard publishes through the one disclosure control: for a donor, every count
of people comes from the protected set the donor report publishes too (``ruta.program.disclosure``),
so 1 to 4 shows "<5", a figure that would give it away shows "x", zero shows 0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruta.lib import suppression
from ruta.lib.suppression import Shown
from ruta.program import dashboard
from ruta.program.disclosure import PeopleFigures, closed_period
from ruta.program.indicators import REGISTRY, Value

D = dt.date
PROTECTED = PeopleFigures({}, [], [])  # a donor's page: shares and means read no figure of the set


def test_dashboard_tables_show_the_protected_figures() -> None:
    cells = [[Shown(12), Shown(None, "<5")], [Shown(None, "x"), Shown(0)]]
    table = dashboard._table("t", ["a", "b"], ["F", "M"], cells, [Shown(None, "x"), Shown(20)],
                             [Shown(32), Shown(None, "<5")], Shown(None, "x"))
    rows = dict((label, cells) for label, cells in table.rows)
    assert rows["a"] == ["12", "<5", "x"] and rows["b"] == ["x", "0", "20"]  # zero shows 0
    assert table.totals == ["32", "<5", "x"]


def test_unsuppressed_tables_show_every_count() -> None:
    table = dashboard._table("t", ["a"], ["F", "M"], [[12, 2]], [14], [12, 2], 14)
    assert dict(table.rows)["a"] == ["12", "2", "14"]


def test_a_donor_sees_no_share_or_mean_from_fewer_than_ten_people() -> None:
    # docs/program.md ("Donor"/"Donante") and the dashboard's note give this threshold.
    assert suppression.MIN_BASE == 10
    for ind in [i for i in REGISTRY.values() if i.kind != "count"]:
        assert dashboard.value_text(ind, Value(60.0, 9), PROTECTED) == dashboard.WITHHELD
        assert dashboard.value_text(ind, Value(60.0, 10), PROTECTED) != dashboard.WITHHELD
        assert dashboard.value_text(ind, Value(60.0, 9), None) != dashboard.WITHHELD


def test_the_programme_guide_states_the_threshold_the_dashboard_uses() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "program.md").read_text()
    english, spanish = guide.split("\n### Donor\n")[1], guide.split("\n### Donante\n")[1]
    assert f"fewer than {suppression.MIN_BASE} people (`suppression.MIN_BASE`) show" in english.split("\n###")[0]
    assert f"menos de {suppression.MIN_BASE} personas se muestran «—»" in spanish.split("\n###")[0]


def test_donor_figures_stand_in_whole_months_up_to_the_last_closed_one() -> None:
    today = D(2026, 6, 26)
    # 15 up to 25 June and 18 up to 26 June (issue 13): both periods are May's end for a donor.
    assert closed_period(D(2026, 1, 1), D(2026, 6, 25), today) == (D(2026, 1, 1), D(2026, 5, 31))
    assert closed_period(D(2026, 1, 1), D(2026, 6, 26), today) == (D(2026, 1, 1), D(2026, 5, 31))
    # Days inside a closed month widen to the month: a day's difference is never published.
    assert closed_period(D(2025, 3, 15), D(2025, 4, 10), today) == (D(2025, 3, 1), D(2025, 4, 30))
    assert closed_period(D(2024, 2, 3), D(2024, 2, 3), today) == (D(2024, 2, 1), D(2024, 2, 29))
    start, end = closed_period(D(2026, 6, 1), D(2026, 12, 31), today)  # no month closed yet
    assert end < start
