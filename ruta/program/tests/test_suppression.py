from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ruta.lib.suppression import display, suppress_line, suppress_table, suppress_value


def test_a_lone_small_count_is_hidden_and_shown_as_less_than_five() -> None:
    assert suppress_value(4) is None
    assert suppress_value(5) == 5
    assert suppress_value(0) is None
    assert display(None) == "<5"
    assert display(12) == "12"


def test_a_single_small_cell_beside_its_total_takes_the_next_smallest_with_it() -> None:
    line = suppress_line([40, 3, 12, 9])
    # 3 alone would be 64 - 40 - 12 - 9: the smallest visible cell (9) goes too.
    assert line.cells == [40, None, 12, None]
    assert line.total == 64


def test_a_small_total_hides_everything_that_would_add_up_to_it() -> None:
    line = suppress_line([2, 1])
    assert line.cells == [None, None]
    assert line.total is None


def test_a_hidden_total_with_visible_cells_hides_a_cell_too() -> None:
    table = suppress_table([[10, 20], [1, 2]])
    # Row 2 (1, 2, total 3) is all hidden; columns then each have one hidden cell → the
    # smallest other visible entry in each column goes, so no column can be solved.
    assert table.cells[1] == [None, None]
    assert table.row_totals[1] is None
    assert table.cells[0][0] is None or table.column_totals[0] is None
    assert table.cells[0][1] is None or table.column_totals[1] is None


def test_rows_of_different_lengths_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=1, max_size=5)
))
def test_no_hidden_cell_can_be_recovered_by_subtraction(rows: list[list[int]]) -> None:
    table = suppress_table(rows)
    grid = [[*c, t] for c, t in zip(table.cells, table.row_totals)] + [[*table.column_totals, table.total]]
    truth = [[*r, sum(r)] for r in rows] + [[*(sum(c) for c in zip(*rows)), sum(map(sum, rows))]]
    for shown_row, true_row in zip(grid, truth):
        for shown, true in zip(shown_row, true_row):
            assert shown is None or shown == true
            if true < 5:
                assert shown is None
    lines = [list(r) for r in grid] + [list(c) for c in zip(*grid)]
    for line in lines:
        assert sum(v is None for v in line) != 1


def test_an_empty_table_or_line_is_handled() -> None:
    assert suppress_line([]).cells == []
    assert suppress_line([]).total is None  # zero people is below 5 too
    assert suppress_table([]).total is None
