"""Small-cell suppression for published counts (docs/architecture.md, "Security rules": counts below 5 become "<5").

Pure functions, no Django. Suppressing a cell is not enough when totals are published:
with a row total and the other cells of the row anyone could subtract their way back to
it. So after the *primary* suppression (every count below ``minimum``, zero included, as
the rule says "below 5") comes *complementary* suppression: in every line (a row with its
total, a column with its total) that has exactly one hidden entry, the smallest visible
cell is hidden too (the total if no cell is left), and this repeats until no line has a
single hidden entry.

A suppressed value is ``None``; :func:`display` turns it into "<5" for people.

Limits: this protects one table and its margins. Two published tables that share a
margin must be suppressed as one (pass the finer table) or the caller must not publish
the coarser one's small totals beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MINIMUM = 5
MARK = "<5"


def is_small(value: int, minimum: int = MINIMUM) -> bool:
    return value < minimum


def display(value: int | None, minimum: int = MINIMUM) -> str:
    return f"<{minimum}" if value is None else str(value)


def suppress_value(value: int, minimum: int = MINIMUM) -> int | None:
    """A lone count with nothing published beside it."""
    return None if is_small(value, minimum) else value


@dataclass(frozen=True)
class SuppressedLine:
    cells: list[int | None]
    total: int | None


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def suppress_line(values: Sequence[int], minimum: int = MINIMUM) -> SuppressedLine:
    """Cells published with their total (e.g. reached by sex, and all)."""
    table = suppress_table([list(values)], minimum)
    return SuppressedLine(cells=table.cells[0], total=table.total)


def suppress_table(cells: Sequence[Sequence[int]], minimum: int = MINIMUM) -> SuppressedTable:
    """Cells published with their row totals, column totals and grand total."""
    rows = [list(r) for r in cells]
    n_cols = max((len(r) for r in rows), default=0)
    if any(len(r) != n_cols for r in rows):
        raise ValueError("every row needs the same number of cells")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("counts cannot be negative")
    row_totals = [sum(r) for r in rows]
    col_totals = [sum(r[j] for r in rows) for j in range(n_cols)]
    grand = sum(row_totals)

    # Work on an extended grid: the last column holds row totals, the last row column totals.
    grid = [[*r, t] for r, t in zip(rows, row_totals)] + [[*col_totals, grand]]
    hidden = [[is_small(v, minimum) for v in row] for row in grid]
    n_r, n_c = len(grid), n_cols + 1

    # Each line: the cells then, last, the total they add up to.
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)]
    lines += [[(i, j) for i in range(n_r)] for j in range(n_c)]

    changed = True
    while changed:
        changed = False
        for line in lines:
            marks = [hidden[i][j] for i, j in line]
            if sum(marks) != 1:
                continue
            parts = line[:-1]
            candidates = [(grid[i][j], (i, j)) for i, j in parts if not hidden[i][j]]
            if candidates:
                _, (i, j) = min(candidates)
            else:
                i, j = line[-1]
            if not hidden[i][j]:  # a line with no cell (an empty table) has nothing left to hide
                hidden[i][j] = True
                changed = True

    def value(i: int, j: int) -> int | None:
        return None if hidden[i][j] else grid[i][j]

    return SuppressedTable(
        cells=[[value(i, j) for j in range(n_cols)] for i in range(len(rows))],
        row_totals=[value(i, n_cols) for i in range(len(rows))],
        column_totals=[value(len(rows), j) for j in range(n_cols)],
        total=value(len(rows), n_cols),
    )
