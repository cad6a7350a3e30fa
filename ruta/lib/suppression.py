"""The disclosure control for every published figure (docs/architecture.md, "Security rules";
docs/statistics.md). Pure functions, no Django.

Hiding a small count is not enough when totals are published: with a row total and the other
cells of the row anyone could subtract their way back to it. The rules every publication
follows (dashboard, donor report, statistics pages, public figures, learning reports):

* a count of persons from 1 to 4 shows "<5" (primary); zero shows 0; counts that are not of
  persons (sessions, activities) are never hidden;
* a cell hidden only so that the "<5" cannot be worked out by subtraction shows "x"
  (complementary), explained beside the table (``ProtectedTable.has_complement``);
* cells are hidden until the audit (:func:`audit`), which knows what a reader knows — the
  visible cells and totals, that "<5" is 1 to 4 and that "x" is at least 5 (a zero is never
  hidden) — can pin no "<5" down to one value (an "x" worked out reveals no small count);
* tables published side by side that share people are protected as one set
  (:func:`protect_set`), so one table's totals cannot open another's cells;
* no share, median or rate from fewer than :data:`MIN_BASE` persons;
* donor figures stand at the last closed month (:func:`last_closed_month`), in whole months,
  so two periods never differ by one day's reach; a running total is not published beside
  the months it adds up (they are what is protected).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

MINIMUM = 5
PRIMARY = "<5"
COMPLEMENT = "x"
MIN_BASE = 10
INF = math.inf


@dataclass(frozen=True)
class Shown:
    """One published figure: its value, or ``None`` with the mark that replaces it."""

    value: int | None
    mark: str = ""

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.mark if self.value is None else str(self.value)


@dataclass(frozen=True)
class ProtectedTable:
    cells: list[list[Shown]]
    row_totals: list[Shown]
    column_totals: list[Shown]
    total: Shown

    @property
    def withheld(self) -> bool:
        """Every entry hidden: publish the table as withheld (its total shows "<5" at most)."""
        entries = [*self.row_totals, *self.column_totals, self.total, *(c for r in self.cells for c in r)]
        return all(e.hidden for e in entries)

    @property
    def has_complement(self) -> bool:
        """Whether the table needs the note explaining "x" beside it."""
        entries = [*self.row_totals, *self.column_totals, self.total, *(c for r in self.cells for c in r)]
        return any(e.mark == COMPLEMENT for e in entries)


@dataclass(frozen=True)
class ProtectedLine:
    cells: list[Shown]
    total: Shown


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Each line of the extended grid (cells, then the total they add up to, last)."""
    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    return lines


def audit(grid: Sequence[Sequence[int]], marks: Sequence[Sequence[str]], minimum: int = MINIMUM,
          lines: list[list[tuple[int, int]]] | None = None) -> dict[tuple[int, int], tuple[float, float]]:
    """What a reader can work out about each hidden entry of an extended grid (cells with their
    row totals in the last column and column totals in the last row): bounds from the marks
    ("<5" is 1 to 4, "x" at least ``minimum``), tightened by every line's sum *and* by every
    equation that follows from combining lines (the reduced row-echelon form of the system), so
    that an entry fixed by adding and subtracting several lines is found too. ``marks[i][j]``
    is "" (shown), :data:`PRIMARY` or :data:`COMPLEMENT`."""
    n_r, n_c = len(grid), len(grid[0]) if grid else 0
    if lines is None:
        lines = _lines(n_r - 1, n_c - 1) if n_r and n_c else []
    unknown = [(i, j) for i in range(n_r) for j in range(n_c) if marks[i][j]]
    if not unknown:
        return {}
    column = {k: n for n, k in enumerate(unknown)}
    lo = [Fraction(1) if marks[i][j] == PRIMARY else Fraction(minimum) for i, j in unknown]
    hi: list[Fraction | float] = [Fraction(minimum - 1) if marks[i][j] == PRIMARY else INF for i, j in unknown]
    equations: list[tuple[dict[int, Fraction], Fraction]] = []
    for line in lines:
        *parts, total = line
        coefficients: dict[int, Fraction] = {}
        constant = Fraction(0)
        for key, sign in [*((p, 1) for p in parts), (total, -1)]:
            if key in column:
                coefficients[column[key]] = coefficients.get(column[key], Fraction(0)) + sign
            else:
                constant -= sign * grid[key[0]][key[1]]
        coefficients = {k: v for k, v in coefficients.items() if v}
        if coefficients:
            equations.append((coefficients, constant))
    equations += _combined(equations, len(unknown))
    changed = True
    while changed:
        changed = False
        for coefficients, constant in equations:
            for k, a in coefficients.items():
                # a·x_k = constant − Σ others: bound the others, then divide by a.
                rest_lo: Fraction | float = Fraction(0)
                rest_hi: Fraction | float = Fraction(0)
                for j, b in coefficients.items():
                    if j == k:
                        continue
                    low, high = (b * lo[j], b * hi[j]) if b > 0 else (b * hi[j], b * lo[j])
                    rest_lo += low
                    rest_hi += high
                if a > 0:
                    new_lo, new_hi = (constant - rest_hi) / a, (constant - rest_lo) / a
                else:
                    new_lo, new_hi = (constant - rest_lo) / a, (constant - rest_hi) / a
                if new_lo != -INF and new_lo == new_lo and math.ceil(new_lo) > lo[k]:
                    lo[k] = Fraction(math.ceil(new_lo))
                    changed = True
                if new_hi != INF and new_hi == new_hi and math.floor(new_hi) < hi[k]:
                    hi[k] = Fraction(math.floor(new_hi))
                    changed = True
                if lo[k] > hi[k]:  # published figures that do not add up: nothing more to learn
                    return {key: (float(lo[n]), float(hi[n])) for n, key in enumerate(unknown)}
    return {key: (float(lo[n]), float(hi[n])) for n, key in enumerate(unknown)}


def _combined(equations: list[tuple[dict[int, Fraction], Fraction]], size: int
              ) -> list[tuple[dict[int, Fraction], Fraction]]:
    """The reduced row-echelon form of the line equations: what adding and subtracting lines gives."""
    rows = [([c.get(k, Fraction(0)) for k in range(size)], b) for c, b in equations]
    pivot_row = 0
    for col in range(size):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][0][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        coefficients, constant = rows[pivot_row]
        factor = coefficients[col]
        rows[pivot_row] = ([v / factor for v in coefficients], constant / factor)
        for r in range(len(rows)):
            if r != pivot_row and rows[r][0][col] != 0:
                f = rows[r][0][col]
                rows[r] = ([v - f * p for v, p in zip(rows[r][0], rows[pivot_row][0], strict=True)],
                           rows[r][1] - f * rows[pivot_row][1])
        pivot_row += 1
    out = []
    for coefficients, constant in rows[:pivot_row]:
        sparse = {k: v for k, v in enumerate(coefficients) if v}
        if sparse:
            out.append((sparse, constant))
    return out


def protect_table(cells: Sequence[Sequence[int]], *, persons: bool = True, minimum: int = MINIMUM
                  ) -> ProtectedTable:
    """Cells published with their row totals, column totals and grand total."""
    rows = [list(r) for r in cells]
    n_cols = max((len(r) for r in rows), default=0)
    if any(len(r) != n_cols for r in rows):
        raise ValueError("every row needs the same number of cells")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("counts cannot be negative")
    grid = [[*r, sum(r)] for r in rows] + [[*(sum(r[j] for r in rows) for j in range(n_cols)),
                                           sum(map(sum, rows))]]
    marks = _protect(grid, _lines(len(rows), n_cols), persons, minimum)

    def shown(i: int, j: int) -> Shown:
        mark = marks[i][j]
        return Shown(None, mark) if mark else Shown(grid[i][j])

    return ProtectedTable(
        cells=[[shown(i, j) for j in range(n_cols)] for i in range(len(rows))],
        row_totals=[shown(i, n_cols) for i in range(len(rows))],
        column_totals=[shown(len(rows), j) for j in range(n_cols)],
        total=shown(len(rows), n_cols),
    )


def _protect(grid: list[list[int]], lines: list[list[tuple[int, int]]], persons: bool, minimum: int
             ) -> list[list[str]]:
    """The marks of ``grid`` (``""``, "<5" or "x" per entry). The same figures give the same marks,
    so they are remembered per process: a donor report of a closed period, its PDF, its XLSX and
    its DHIS2 export protect the same sets, and the audit (exact rational arithmetic) is most of
    their time."""
    if not persons:
        return [["" for _v in row] for row in grid]
    marks = _remembered_marks(tuple(map(tuple, grid)), tuple(map(tuple, lines)), minimum)
    return [list(row) for row in marks]


@lru_cache(maxsize=256)
def _remembered_marks(grid: tuple[tuple[int, ...], ...], lines: tuple[tuple[tuple[int, int], ...], ...],
                      minimum: int) -> tuple[tuple[str, ...], ...]:
    marks = _compute_marks([list(row) for row in grid], [list(line) for line in lines], minimum)
    return tuple(map(tuple, marks))


def _compute_marks(grid: list[list[int]], lines: list[list[tuple[int, int]]], minimum: int) -> list[list[str]]:
    marks = [["" for _v in row] for row in grid]
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if 0 < v < minimum:
                marks[i][j] = PRIMARY
    while True:
        bounds = audit(grid, marks, minimum, lines)
        # Only a count of 1 to 4 must stay uncertain: an "x" worked out is 0 or at least 5,
        # which the rules would have shown anyway (the audit still uses it against the "<5").
        exposed = sorted(k for k, (a, b) in bounds.items() if a == b and marks[k[0]][k[1]] == PRIMARY)
        if exposed and _hide_what_covers(exposed[0], grid, marks, lines, minimum):
            continue
        if not exposed or not _hide_beside(exposed[0], grid, marks, lines):
            # Nothing left to hide: a table of a few persons in all (every entry "<5") can still
            # be read as 1s; ``withheld`` tells the page to publish no cell of it.
            return marks


MAX_TRIES = 40  # candidate cells audited for each exposed "<5" before falling back to the rule of thumb


def _hide_what_covers(key: tuple[int, int], grid: list[list[int]], marks: list[list[str]],
                      lines: list[list[tuple[int, int]]], minimum: int) -> bool:
    """Hide the smallest shown non-zero entry, among those sharing a line with a hidden entry,
    that alone makes ``key`` uncertain again (checked by the audit). In a set of tables sharing
    their totals, the rule of thumb of :func:`_hide_beside` can walk up to a shared total and
    hide it everywhere although it can still be worked out from other totals; trying the
    neighbours first keeps the hidden cells few and inside the table that needs them."""
    hidden = {(i, j) for i, row in enumerate(marks) for j, m in enumerate(row) if m}
    near = {k for line in lines if hidden & set(line) for k in line}
    # An entry in many lines (a total that several tables share) is tried last: hiding it shows
    # "x" in every table and hides what the reader needs most (the grand total).
    in_lines: dict[tuple[int, int], int] = {}
    for line in lines:
        for k in line:
            in_lines[k] = in_lines.get(k, 0) + 1
    candidates = sorted((in_lines[(i, j)], grid[i][j], (i, j)) for i, j in near
                        if not marks[i][j] and grid[i][j] > 0)
    for _n, _v, (i, j) in candidates[:MAX_TRIES]:
        marks[i][j] = COMPLEMENT
        low, high = audit(grid, marks, minimum, lines)[key]
        if low != high:
            return True
        marks[i][j] = ""
    # The same figure can stand in several tables without being linked by name (12 girls in all:
    # the girls' total, the girls aged 15-19, the girls of the one district): hide every
    # neighbour with one value at once, the smallest value that works.
    for value in sorted({v for _n, v, _k in candidates})[:MAX_TRIES]:
        group = [k for _n, v, k in candidates if v == value]
        if len(group) < 2:
            continue
        for i, j in group:
            marks[i][j] = COMPLEMENT
        low, high = audit(grid, marks, minimum, lines)[key]
        if low != high:
            return True
        for i, j in group:
            marks[i][j] = ""
    return False


def _hide_beside(key: tuple[int, int], grid: list[list[int]], marks: list[list[str]],
                 lines: list[list[tuple[int, int]]]) -> bool:
    """Hide one more entry so that ``key`` can no longer be worked out: in the line through it
    with the fewest hidden entries (the one giving it away), the smallest shown non-zero cell,
    else its total; failing both, the smallest non-zero entry anywhere. A zero is never hidden,
    so a reader knows an "x" is at least 5 (and the audit knows it too)."""
    through = sorted((line for line in lines if key in line),
                     key=lambda line: sum(1 for i, j in line if marks[i][j]))
    for line in through:
        parts, total = line[:-1], line[-1]
        shown_parts = [(grid[i][j], (i, j)) for i, j in parts if not marks[i][j]]
        choices = ([p for p in shown_parts if p[0] > 0],
                   [(grid[total[0]][total[1]], total)] if not marks[total[0]][total[1]] else [])
        for choice in choices:
            if choice:
                _v, (i, j) = min(choice)
                marks[i][j] = COMPLEMENT
                return True
    anywhere = [(v, (i, j)) for i, row in enumerate(grid) for j, v in enumerate(row) if not marks[i][j] and v > 0]
    if not anywhere:
        return False
    _v, (i, j) = min(anywhere)
    marks[i][j] = COMPLEMENT
    return True


def protect_line(values: Sequence[int], *, persons: bool = True, minimum: int = MINIMUM) -> ProtectedLine:
    """Cells published with their total (e.g. reached by sex, and all)."""
    if any(v < 0 for v in values):
        raise ValueError("counts cannot be negative")
    grid = [[*values, sum(values)]]
    marks = _protect(grid, [[(0, j) for j in range(len(values) + 1)]], persons, minimum)
    shown = [Shown(None, m) if m else Shown(v) for v, m in zip(grid[0], marks[0], strict=True)]
    return ProtectedLine(cells=shown[:-1], total=shown[-1])


def protect_count(value: int, *, persons: bool = True, minimum: int = MINIMUM) -> Shown:
    """A lone count with nothing published beside it."""
    return Shown(None, PRIMARY) if persons and 0 < value < minimum else Shown(value)


def share(part: int, base: int) -> float | None:
    """``part / base``, or ``None`` (withheld) when the base is fewer than :data:`MIN_BASE` persons."""
    return None if base < MIN_BASE else part / base


def rate(count: int, population: int, per: int = 100_000) -> float | None:
    """Persons per ``per`` inhabitants, withheld when fewer than :data:`MIN_BASE` persons."""
    return None if count < MIN_BASE or population <= 0 else count * per / population


def median_of(values: Sequence[float]) -> float | None:
    """The median of one value per person, withheld below :data:`MIN_BASE` persons."""
    if len(values) < MIN_BASE:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def last_closed_month(today: _dt.date) -> _dt.date:
    """The last day of the last month that has ended: donor figures stand there, so a daily
    change (15 on 25 June, 18 on 26 June) never shows a count of 3
    (``ruta.program.disclosure.closed_period``)."""
    return today.replace(day=1) - _dt.timedelta(days=1)


# --- Tables published together for the same period: protect the set, not each table alone ---------


@dataclass(frozen=True)
class SetPart:
    """One table of a set published for the same period. ``names`` gives figures a name that
    other tables share (the same figure, published twice): keys are positions in the extended
    grid, ``(i, len(cells[0]))`` for row ``i``'s total, ``(len(cells), j)`` for column ``j``'s and
    ``(len(cells), len(cells[0]))`` for the grand total. A one-row (or one-column) table is a line:
    its column (row) totals are its cells, automatically."""

    cells: Sequence[Sequence[int]]
    names: dict[tuple[int, int], object] | None = None

    @classmethod
    def line(cls, values: Sequence[int], *, total: object = None, names: Sequence[object] | None = None
             ) -> SetPart:
        """A line of cells with their total, e.g. cases by month (total named ``total``)."""
        named: dict[tuple[int, int], object] = {}
        if total is not None:
            named[(1, len(values))] = total
        for j, name in enumerate(names or []):
            if name is not None:
                named[(0, j)] = name
        return cls([list(values)], named)

    @classmethod
    def table(cls, cells: Sequence[Sequence[int]], *, total: object = None,
              columns: Sequence[object] | None = None, rows: Sequence[object] | None = None) -> SetPart:
        """A table whose column totals (``columns``), row totals (``rows``) and grand total
        (``total``) are figures published in other tables too."""
        n_r, n_c = len(cells), len(cells[0]) if cells else 0
        named: dict[tuple[int, int], object] = {}
        if total is not None:
            named[(n_r, n_c)] = total
        for j, name in enumerate(columns or []):
            if name is not None:
                named[(n_r, j)] = name
        for i, name in enumerate(rows or []):
            if name is not None:
                named[(i, n_c)] = name
        return cls(cells, named)


def shown_by_name(parts: Sequence[SetPart], tables: Sequence[ProtectedTable]) -> dict[object, Shown]:
    """What each named figure of a protected set shows (``tables`` from :func:`protect_set` of
    ``parts``): a name shows the same in every table that publishes it."""
    shown: dict[object, Shown] = {}
    for part, table in zip(parts, tables, strict=True):
        grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
        grid.append([*table.column_totals, table.total])
        for (i, j), name in (part.names or {}).items():
            shown.setdefault(name, grid[i][j])
    return shown


def protect_set(parts: Sequence[SetPart], *, persons: bool = True, minimum: int = MINIMUM
                ) -> list[ProtectedTable]:
    """Protect tables published for the same period as one system: a figure that two tables
    share (their grand total, the totals by sex) is one unknown for the audit, so a cell hidden
    in one table cannot be worked out through another, and a figure hidden in one table is
    hidden in every table that shows it. Raises ``ValueError`` when figures with the same name
    differ (the tables do not describe the same persons)."""
    parent: list[int] = []
    values: list[int] = []

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    layouts: list[tuple[int, int, dict[tuple[int, int], int]]] = []
    named: dict[object, int] = {}
    for part in parts:
        rows = [list(r) for r in part.cells]
        n_c = max((len(r) for r in rows), default=0)
        if any(len(r) != n_c for r in rows):
            raise ValueError("every row needs the same number of cells")
        if any(v < 0 for r in rows for v in r):
            raise ValueError("counts cannot be negative")
        n_r = len(rows)
        grid = [[*r, sum(r)] for r in rows] + [[*(sum(r[j] for r in rows) for j in range(n_c)), sum(map(sum, rows))]]
        node: dict[tuple[int, int], int] = {}
        for i in range(n_r + 1):
            for j in range(n_c + 1):
                node[(i, j)] = len(values)
                parent.append(len(values))
                values.append(grid[i][j])
        if n_r == 1:  # a line: its column totals are its cells, its grand total its row total
            for j in range(n_c + 1):
                union(node[(0, j)], node[(1, j)])
        if n_c == 1:
            for i in range(n_r + 1):
                union(node[(i, 0)], node[(i, 1)])
        for key, name in (part.names or {}).items():
            if key not in node:
                raise ValueError(f"no figure at {key}")
            if name in named:
                union(named[name], node[key])
            else:
                named[name] = node[key]
        layouts.append((n_r, n_c, node))
    for k in range(len(values)):
        if values[k] != values[find(k)]:
            raise ValueError("figures published as the same differ: the tables do not count the same persons")
    flat: dict[int, int] = {}
    for k in range(len(values)):
        flat.setdefault(find(k), len(flat))
    row = [0] * len(flat)
    for k, slot in flat.items():
        row[slot] = values[k]
    lines: list[list[tuple[int, int]]] = []
    # The same sum published twice (a line by sex and the row totals of a table by sex × age
    # band) is one equation: the audit reads it once.
    seen: set[tuple[tuple[tuple[int, int], ...], tuple[int, int]]] = set()
    for n_r, n_c, node in layouts:
        for line in _lines(n_r, n_c):
            mapped = [(0, flat[find(node[key])]) for key in line]
            equation = (tuple(sorted(mapped[:-1])), mapped[-1])
            if len(set(mapped)) > 1 and equation not in seen:
                seen.add(equation)
                lines.append(mapped)
    marks = _protect([row], lines, persons, minimum)[0]
    out = []
    for n_r, n_c, node in layouts:
        def shown(i: int, j: int, node: dict[tuple[int, int], int] = node) -> Shown:
            slot = flat[find(node[(i, j)])]
            return Shown(None, marks[slot]) if marks[slot] else Shown(row[slot])

        out.append(ProtectedTable(
            cells=[[shown(i, j) for j in range(n_c)] for i in range(n_r)],
            row_totals=[shown(i, n_c) for i in range(n_r)],
            column_totals=[shown(n_r, j) for j in range(n_c)],
            total=shown(n_r, n_c),
        ))
    return out
