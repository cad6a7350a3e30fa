"""Tables published for the same period are protected as a set (``protect_set``): an attacker who
reads every table of the set together recovers no "<5"."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruta.lib.suppression import COMPLEMENT, PRIMARY, ProtectedTable, SetPart, protect_set, protect_table

Slot = int


class SearchTooLong(Exception):
    pass


def published_system(parts: Sequence[SetPart], tables: Sequence[ProtectedTable]
                     ) -> tuple[list[tuple[int | None, str]], list[list[Slot]]]:
    """The figures a reader sees (value or None, mark), shared figures read once, and the
    equations the reader knows (each line's cells add up to its total)."""
    figures: list[tuple[int | None, str]] = []
    lines: list[list[Slot]] = []
    by_name: dict[object, Slot] = {}
    for part, table in zip(parts, tables, strict=True):
        n_r, n_c = len(part.cells), len(part.cells[0])
        grid = [[*r, t] for r, t in zip(table.cells, table.row_totals, strict=True)]
        grid.append([*table.column_totals, table.total])
        slot: dict[tuple[int, int], Slot] = {}
        for i in range(n_r + 1):
            for j in range(n_c + 1):
                name = (part.names or {}).get((i, j))
                if name is not None and name in by_name:
                    slot[(i, j)] = by_name[name]
                    if grid[i][j].value is not None:  # shown in one table, hidden in another: it is known
                        figures[by_name[name]] = (grid[i][j].value, "")
                    continue
                slot[(i, j)] = len(figures)
                figures.append((grid[i][j].value, grid[i][j].mark))
                if name is not None:
                    by_name[name] = slot[(i, j)]
        lines += [[slot[(i, j)] for j in range(n_c + 1)] for i in range(n_r + 1)]
        lines += [[slot[(i, j)] for i in range(n_r + 1)] for j in range(n_c + 1)]
    return figures, lines


def attacker(figures: list[tuple[int | None, str]], lines: list[list[Slot]], budget: int = 100_000
             ) -> dict[Slot, set[int]]:
    """Every value (up to two) each hidden "<5" can take given the published set: an exact search
    over the integers with bounds propagation ("<5" is 1..4, "x" at least 5)."""
    cap = max((v for v, _m in figures if v is not None), default=0) + 1
    hidden = [k for k, (v, _m) in enumerate(figures) if v is None]
    steps = [0]

    def propagate(lo: dict[Slot, int], hi: dict[Slot, int]) -> bool:
        changed = True
        while changed:
            changed = False
            for line in lines:
                *parts, total = line
                terms = [(p, 1) for p in parts] + [(total, -1)]
                for k, a in terms:
                    if figures[k][0] is not None:
                        continue
                    rest_lo = rest_hi = 0
                    for j, b in terms:
                        if j == k:
                            continue
                        v = figures[j][0]
                        low, high = (v, v) if v is not None else (lo[j], hi[j])
                        rest_lo += b * low if b > 0 else b * high
                        rest_hi += b * high if b > 0 else b * low
                    # a·x = −rest
                    new_lo, new_hi = (-rest_hi, -rest_lo) if a > 0 else (rest_lo, rest_hi)
                    if new_lo > lo[k]:
                        lo[k], changed = new_lo, True
                    if new_hi < hi[k]:
                        hi[k], changed = new_hi, True
                    if lo[k] > hi[k]:
                        return False
        return True

    def feasible(lo: dict[Slot, int], hi: dict[Slot, int]) -> bool:
        steps[0] += 1
        if steps[0] > budget:
            raise SearchTooLong
        lo, hi = dict(lo), dict(hi)
        if not propagate(lo, hi):
            return False
        free = [k for k in hidden if lo[k] < hi[k]]
        if not free:
            return True
        k = min(free, key=lambda s: hi[s] - lo[s])
        for v in range(lo[k], hi[k] + 1):
            if feasible({**lo, k: v}, {**hi, k: v}):
                return True
        return False

    lo0 = {k: 1 if figures[k][1] == PRIMARY else 5 for k in hidden}
    hi0 = {k: 4 if figures[k][1] == PRIMARY else cap for k in hidden}
    found: dict[Slot, set[int]] = {}
    for k in hidden:
        if figures[k][1] != PRIMARY:
            continue
        found[k] = set()
        for v in range(1, 5):
            if feasible({**lo0, k: v}, {**hi0, k: v}):
                found[k].add(v)
                if len(found[k]) == 2:
                    break
    return found


def recovered(parts: Sequence[SetPart], tables: Sequence[ProtectedTable]) -> list[Slot]:
    figures, lines = published_system(parts, tables)
    return [k for k, values in attacker(figures, lines).items() if len(values) < 2]


SEX = ("female", "male")
# Cases by age band × sex, and by type of violence × sex, for one year: the totals by sex and
# the grand total are the same figures in both tables.
AGE = [[11, 0], [22, 4], [21, 2]]
VIOLENCE = [[41, 5], [13, 1]]


def _parts(age: list[list[int]], violence: list[list[int]]) -> list[SetPart]:
    return [SetPart.table(age, total="all", columns=SEX), SetPart.table(violence, total="all", columns=SEX)]


def test_tables_protected_one_by_one_give_a_small_count_away_when_read_together() -> None:
    parts = _parts(AGE, VIOLENCE)
    alone = [protect_table(p.cells) for p in parts]
    # Alone, each table is safe...
    assert not recovered(parts[:1], alone[:1]) and not recovered(parts[1:], alone[1:])
    # ...but what one table hides of the shared totals the other shows.
    assert recovered(parts, alone)


def test_the_set_is_protected_as_one() -> None:
    parts = _parts(AGE, VIOLENCE)
    tables = protect_set(parts)
    assert not recovered(parts, tables)
    age, violence = tables
    assert str(violence.cells[1][1]) == PRIMARY and str(age.cells[2][1]) == PRIMARY
    # A figure both tables publish shows the same in both.
    assert [str(s) for s in age.column_totals] == [str(s) for s in violence.column_totals]
    figures, _lines = published_system(parts, tables)
    assert len(figures) == sum((len(p.cells) + 1) * (len(p.cells[0]) + 1) for p in parts) - 3
    assert str(age.cells[0][1]) == "0"  # a zero is never hidden


def test_a_line_and_a_table_share_the_grand_total() -> None:
    months = SetPart.line([20, 3, 15, 9], total="all")
    by_sex = SetPart.table([[18, 2], [20, 7]], total="all", columns=SEX)
    tables = protect_set([months, by_sex])
    assert str(tables[0].cells[0][1]) == PRIMARY and str(tables[1].cells[0][1]) == PRIMARY
    assert not recovered([months, by_sex], tables)


def test_figures_named_the_same_must_be_equal() -> None:
    with pytest.raises(ValueError):
        protect_set([SetPart.line([5, 6], total="all"), SetPart.line([5, 7], total="all")])
    with pytest.raises(ValueError):
        protect_set([SetPart.line([-1, 6])])


def test_counts_that_are_not_of_persons_are_never_hidden_in_a_set() -> None:
    tables = protect_set([SetPart.line([1, 2, 30], total="all")], persons=False)
    assert [str(s) for s in tables[0].cells[0]] == ["1", "2", "30"]


cell = st.integers(min_value=0, max_value=25)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(min_value=2, max_value=3).flatmap(
    lambda n: st.tuples(st.lists(st.lists(cell, min_size=2, max_size=2), min_size=n, max_size=n),
                        st.lists(st.lists(cell, min_size=2, max_size=2), min_size=2, max_size=2))))
def test_the_attacker_recovers_no_small_count_from_random_sets(pair: tuple[list[list[int]], list[list[int]]]) -> None:
    age, violence = pair
    # The second table counts the same persons: scale its rows to the same totals by sex.
    totals = [sum(r[j] for r in age) for j in range(2)]
    first = [min(violence[0][j], totals[j]) for j in range(2)]
    violence = [first, [totals[j] - first[j] for j in range(2)]]
    parts = _parts(age, violence)
    tables = protect_set(parts)
    for table, part in zip(tables, parts, strict=True):
        for row, truth in zip(table.cells, part.cells, strict=True):
            for shown, value in zip(row, truth, strict=True):
                assert shown.value in (None, value)
                assert not (0 < value < 5) or shown.hidden
                assert value != 0 or not shown.hidden
    try:
        assert not recovered(parts, tables), (age, violence, tables)
    except SearchTooLong:
        pass


def test_marks_are_the_two_documented_ones() -> None:
    tables = protect_set(_parts(AGE, VIOLENCE))
    marks = {s.mark for t in tables for r in t.cells for s in r if s.hidden}
    assert marks <= {PRIMARY, COMPLEMENT}


def test_one_small_count_hides_a_few_cells_of_its_own_table_not_the_shared_totals() -> None:
    # From a year of 300 cases: three boys in one age band. The first rule of thumb hid the boys'
    # total, then every table's male column and every month; the audit-checked choice hides four cells.
    months = SetPart.line([29, 22, 23, 22, 35, 25, 25, 26, 23, 23, 24, 23], total="all")
    age = SetPart.table([[42, 20], [39, 14], [39, 15], [20, 3], [43, 11], [43, 11]], total="all", columns=SEX)
    violence = SetPart.table([[43, 16], [43, 11], [85, 32], [55, 15]], total="all", columns=SEX)
    parts = [months, age, violence]
    tables = protect_set(parts)
    hidden = [[s for r in t.cells for s in r if s.hidden] + [s for s in [*t.row_totals, *t.column_totals, t.total]
                                                             if s.hidden] for t in tables]
    assert [len(h) for h in hidden] == [0, 4, 0]
    assert not recovered(parts, tables)
