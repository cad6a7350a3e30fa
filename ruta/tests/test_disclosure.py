"""The disclosure control (``ruta.lib.suppression.protect_*``): its rules, property tests over
random tables and lines, and an attacker that tries to recover every hidden cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from ruta.lib.suppression import (
    COMPLEMENT,
    PRIMARY,
    ProtectedTable,
    Shown,
    last_closed_month,
    median_of,
    protect_count,
    protect_line,
    protect_table,
    rate,
    share,
)

Key = tuple[int, int]


def published(table: ProtectedTable) -> list[list[tuple[int | None, str]]]:
    """The extended grid as a reader sees it: (value or None, mark)."""
    rows = [[*r, t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    rows.append([*table.column_totals, table.total])
    return [[(s.value, s.mark) for s in row] for row in rows]


def truth(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    n_cols = len(cells[0])
    return [[*r, sum(r)] for r in cells] + [[*(sum(r[j] for r in cells) for j in range(n_cols)),
                                             sum(map(sum, cells))]]


class SearchTooLong(Exception):
    """The exact search passed its budget: the example is dropped, never counted as safe."""


SEARCH_BUDGET = 200_000  # calls of solve(); a few tables with wide "x" ranges would run for hours


def attacker(grid: list[list[tuple[int | None, str]]], cap: int) -> dict[Key, set[int]]:
    """Every value each hidden entry can take, given what is published (exact search over the
    integers, stopping at two values per entry: two are enough to say it is not recovered).
    A reader knows "<5" is 1..4 and "x" is at least 5 (zeros are never hidden). Raises
    SearchTooLong past ``SEARCH_BUDGET`` steps."""
    steps = [0]
    n_r, n_c = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)] + [[(i, j) for i in range(n_r)] for j in range(n_c)]
    hidden = [(i, j) for i in range(n_r) for j in range(n_c) if grid[i][j][0] is None]
    domain = {k: (list(range(1, 5)) if grid[k[0]][k[1]][1] == PRIMARY else list(range(5, cap + 1))) for k in hidden}
    known = {(i, j): v for i in range(n_r) for j in range(n_c) if (v := grid[i][j][0]) is not None}

    def consistent(values: dict[Key, int]) -> bool:
        for line in lines:
            *parts, total = line
            if all(p in values for p in line):
                if sum(values[p] for p in parts) != values[total]:
                    return False
            elif total in values and all(p in values for p in parts if p not in domain or p in values):
                placed = sum(values[p] for p in parts if p in values)
                if placed > values[total]:
                    return False
        return True

    def solve(values: dict[Key, int]) -> bool:
        steps[0] += 1
        if steps[0] > SEARCH_BUDGET:
            raise SearchTooLong
        values = dict(values)
        changed = True
        while changed:  # a line with one unknown entry fixes it
            changed = False
            for line in lines:
                *parts, total = line
                unknown = [p for p in line if p not in values]
                if len(unknown) != 1:
                    continue
                k = unknown[0]
                v = (values[total] - sum(values[p] for p in parts if p != k)) if k != total else \
                    sum(values[p] for p in parts)
                if v not in domain.get(k, [v]):
                    return False
                values[k] = v
                changed = True
        if not consistent(values):
            return False
        free = [k for k in hidden if k not in values]
        if not free:
            return True
        k = min(free, key=lambda x: len(domain[x]))
        return any(solve({**values, k: v}) for v in domain[k])

    found: dict[Key, set[int]] = {}
    for k in hidden:
        found[k] = set()
        for v in domain[k]:
            if solve({**known, k: v}):
                found[k].add(v)
                if len(found[k]) == 2:
                    break
    return found


def test_one_to_four_persons_show_less_than_five_and_zero_shows_zero() -> None:
    line = protect_line([0, 3, 40, 12])
    assert [str(c) for c in line.cells][0] == "0"
    assert str(line.cells[1]) == PRIMARY
    assert str(line.cells[3]) == COMPLEMENT and line.cells[2].value == 40  # the smallest other non-zero cell
    assert str(line.total) == "55"
    assert str(protect_count(0)) == "0" and str(protect_count(4)) == "<5" and str(protect_count(5)) == "5"


def test_counts_that_are_not_of_persons_are_never_hidden() -> None:
    table = protect_table([[1, 2], [0, 3]], persons=False)
    assert [[c.value for c in r] for r in table.cells] == [[1, 2], [0, 3]] and table.total.value == 6
    assert str(protect_count(2, persons=False)) == "2"


def test_the_note_on_x_is_needed_only_when_a_cell_was_hidden_to_stop_subtraction() -> None:
    assert not protect_table([[10, 20], [30, 40]]).has_complement
    assert protect_table([[10, 2], [30, 40]]).has_complement


TABLES = st.integers(1, 3).flatmap(lambda cols: st.lists(
    st.lists(st.one_of(st.integers(0, 6), st.integers(0, 30)), min_size=cols, max_size=cols), min_size=1, max_size=3))


@settings(max_examples=300, deadline=None)
@given(TABLES)
def test_what_is_shown_is_true_and_every_small_count_is_hidden(cells: list[list[int]]) -> None:
    table = protect_table(cells)
    true = truth(cells)
    for i, row in enumerate(published(table)):
        for j, (value, mark) in enumerate(row):
            t = true[i][j]
            if value is not None:
                assert value == t and mark == "" and not 0 < t < 5
            else:
                assert mark == (PRIMARY if 0 < t < 5 else COMPLEMENT) and t != 0  # a zero is never hidden


def _margins_not_small(cells: list[list[int]]) -> bool:
    true = truth(cells)
    margins = [row[-1] for row in true] + true[-1]
    return not any(0 < m < 5 for m in margins)


@settings(max_examples=300, deadline=None, derandomize=True)  # the same tables on every run
@given(TABLES.filter(_margins_not_small))
# Found by this test as a known limit (with zeros beside the small cells the first rule of thumb left a
# '<5' that combined lines pin); complementary cells chosen by the audit now cover it.
@example([[0, 1, 6], [0, 5, 1], [5, 2, 0]])
def test_the_attacker_recovers_no_small_count_of_random_tables(cells: list[list[int]]) -> None:
    """Exact search over the integers. Guaranteed when no row or column total is itself 1 to 4
    (see the next test for what happens otherwise)."""
    table = protect_table(cells)
    grid = published(table)
    true = truth(cells)
    try:
        recovered = attacker(grid, cap=2 * true[-1][-1] + 10)
    except SearchTooLong:
        assume(False)  # too long to settle exactly: drop the example rather than call it safe
    for key, values in recovered.items():
        # Every "<5" keeps at least two possible values; an "x" may be worked out (it is at
        # least 5, which would have been shown) but never with a "<5" through it.
        if grid[key[0]][key[1]][1] == PRIMARY:
            assert len(values) >= 2, f"{key} is recoverable from {grid}"


@pytest.mark.xfail(strict=True, reason="known limit: the audit propagates bounds through lines and their "
                                       "combinations but is not a full linear programme; with small margins "
                                       "a small total can still be pinned down (docs/statistics.md)")
def test_known_limit_small_margins_can_still_be_combined() -> None:
    cells = [[0, 1, 3], [1, 0, 0], [3, 0, 0]]
    grid = published(protect_table(cells))
    found = attacker(grid, cap=30)
    assert all(len(v) >= 2 for k, v in found.items() if grid[k[0]][k[1]][1] == PRIMARY)


def test_the_attacker_works_out_what_the_old_rule_let_through() -> None:
    # One 3 hidden beside a visible 0 and its total: the old rule hid the 0, so "<5" + "<5" = 3.
    # Now 0 is shown: a naive rule would hide only the 3 and leave it for subtraction.
    naive = [[(0, ""), (None, PRIMARY), (20, ""), (23, "")], [(0, ""), (None, PRIMARY), (20, ""), (23, "")]]
    assert attacker(naive, cap=50) == {(0, 1): {3}, (1, 1): {3}}
    protected = published(protect_table([[0, 3, 20]]))
    assert all(len(values) >= 2 for key, values in attacker(protected, cap=60).items()
               if protected[key[0]][key[1]][1] == PRIMARY)
    assert [str(c) for c in protect_line([0, 3, 20]).cells] == ["0", "<5", "x"]


def test_donor_figures_stand_at_the_last_closed_month() -> None:
    # 15 up to 25 June, 18 up to 26 June (issue 13): both days publish May's end.
    assert last_closed_month(dt.date(2026, 6, 25)) == dt.date(2026, 5, 31)
    assert last_closed_month(dt.date(2026, 6, 26)) == dt.date(2026, 5, 31)
    assert last_closed_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)


def test_no_share_median_or_rate_from_fewer_than_ten_persons() -> None:
    assert share(3, 9) is None and share(3, 10) == 0.3
    assert rate(9, 100_000) is None and rate(10, 200_000) == 5.0
    assert median_of([1.0] * 9) is None and median_of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 5.5


def test_the_same_figures_are_protected_once_per_process_and_callers_cannot_change_the_remembered_marks() -> None:
    from ruta.lib import suppression

    cells = [[12, 3, 9], [7, 1, 20], [0, 6, 4]]
    suppression._remembered_marks.cache_clear()
    first = protect_table(cells)
    first.cells[0][1] = Shown(99)  # a caller scribbling on its result
    first.cells[0].append(Shown(1))
    second = protect_table(cells)
    assert suppression._remembered_marks.cache_info().hits == 1
    fresh = suppression._compute_marks([[*r, sum(r)] for r in cells] + [[*map(sum, zip(*cells)), 62]],
                                       suppression._lines(3, 3), suppression.MINIMUM)
    assert [[c.mark for c in row] for row in second.cells] == [row[:3] for row in fresh[:3]]
    assert second.cells[0][1].hidden and len(second.cells[0]) == 3
