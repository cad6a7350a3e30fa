"""An exact attacker for sets of published tables (``ruta.lib.suppression.protect_set``): given
what is published, every value each hidden "<5" can take. Used by the disclosure tests and by
the statistics pages' tests."""

from __future__ import annotations

from collections.abc import Sequence

from ruta.lib.suppression import PRIMARY, ProtectedTable, SetPart

__all__ = ["SearchTooLong", "attacker", "published_system", "recovered"]

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
                # A figure standing twice in a line (a line's cell is also its column's total) is one term.
                coefficients: dict[Slot, int] = {}
                for slot, sign in [*((p, 1) for p in parts), (total, -1)]:
                    coefficients[slot] = coefficients.get(slot, 0) + sign
                terms = [(k, a) for k, a in coefficients.items() if a]
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
                    # a·x = −rest: x between −rest_hi/a and −rest_lo/a (a > 0), rest_lo/−a and rest_hi/−a (a < 0)
                    low_num, high_num, q = (-rest_hi, -rest_lo, a) if a > 0 else (rest_lo, rest_hi, -a)
                    new_lo, new_hi = -(-low_num // q), high_num // q
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
