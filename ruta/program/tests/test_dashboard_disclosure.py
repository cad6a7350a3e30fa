"""The programme dashboard publishes through the one disclosure control (``protect_*``): 1 to 4
shows "<5", a cell that would give it away shows "x", zero shows 0."""

from __future__ import annotations

from pathlib import Path

from ruta.lib import suppression
from ruta.program import dashboard
from ruta.program.indicators import REGISTRY, Value


def test_dashboard_tables_use_the_disclosure_control() -> None:
    table = dashboard._table("t", ["a", "b"], ["F", "M"], [[12, 2], [20, 0]], suppress=True)
    rows = dict((label, cells) for label, cells in table.rows)
    assert rows["a"][1] == "<5"
    assert rows["b"][1] == "0"  # zero shows 0
    assert "x" in [*rows["a"], *rows["b"], *table.totals]  # what would give the 2 away


def test_unsuppressed_tables_show_every_count() -> None:
    table = dashboard._table("t", ["a"], ["F", "M"], [[12, 2]], suppress=False)
    assert dict(table.rows)["a"] == ["12", "2", "14"]


def test_a_donor_sees_no_share_or_mean_from_fewer_than_ten_people() -> None:
    # docs/program.md ("Donor"/"Donante") and the dashboard's note give this threshold.
    assert suppression.MIN_BASE == 10
    for ind in [i for i in REGISTRY.values() if i.kind != "count"]:
        assert dashboard.value_text(ind, Value(60.0, 9), suppress=True) == dashboard.WITHHELD
        assert dashboard.value_text(ind, Value(60.0, 10), suppress=True) != dashboard.WITHHELD
        assert dashboard.value_text(ind, Value(60.0, 9), suppress=False) != dashboard.WITHHELD


def test_the_programme_guide_states_the_threshold_the_dashboard_uses() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "program.md").read_text()
    english, spanish = guide.split("\n### Donor\n")[1], guide.split("\n### Donante\n")[1]
    assert f"fewer than {suppression.MIN_BASE} people are withheld" in english.split("\n###")[0]
    assert f"menos de {suppression.MIN_BASE} personas no se muestran" in spanish.split("\n###")[0]
