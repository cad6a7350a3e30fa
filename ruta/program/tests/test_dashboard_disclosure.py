"""The programme dashboard publishes through the one disclosure control (``protect_*``): 1 to 4
shows "<5", a cell that would give it away shows "x", zero shows 0."""

from __future__ import annotations

from ruta.program import dashboard


def test_dashboard_tables_use_the_disclosure_control() -> None:
    table = dashboard._table("t", ["a", "b"], ["F", "M"], [[12, 2], [20, 0]], suppress=True)
    rows = dict((label, cells) for label, cells in table.rows)
    assert rows["a"][1] == "<5"
    assert rows["b"][1] == "0"  # zero shows 0
    assert "x" in [*rows["a"], *rows["b"], *table.totals]  # what would give the 2 away


def test_unsuppressed_tables_show_every_count() -> None:
    table = dashboard._table("t", ["a"], ["F", "M"], [[12, 2]], suppress=False)
    assert dict(table.rows)["a"] == ["12", "2", "14"]
