"""Classical item statistics (as in Moodle's quiz statistics), pure functions.

- **Facility index**: the share of people who got the item right (%), among those who answered it.
- **Discrimination index**: the correlation (Pearson, ×100) between the item's score (0/1)
  and the score on the *rest* of the test, over the people who answered the item. High
  means people who did well overall got this item right; near 0 or negative means the item
  does not tell knowledge apart (often a badly worded question or key).
- **Difficult question**: facility under 80 % (counted over people, first attempt only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DIFFICULT_BELOW = 80.0


@dataclass(frozen=True)
class ItemStats:
    item: str
    answered: int
    correct: int
    facility: float | None
    discrimination: float | None

    @property
    def difficult(self) -> bool:
        return self.facility is not None and self.facility < DIFFICULT_BELOW


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def item_stats(items: Sequence[str], people: Sequence[Mapping[str, bool]]) -> list[ItemStats]:
    """``people``: for each person, their first answer to each item they answered (True = right)."""
    out = []
    for item in items:
        answered = [p for p in people if item in p]
        correct = sum(1 for p in answered if p[item])
        xs = [1.0 if p[item] else 0.0 for p in answered]
        rest = [float(sum(1 for k, v in p.items() if k != item and v)) for p in answered]
        r = pearson(xs, rest)
        out.append(ItemStats(item, len(answered), correct,
                             round(100 * correct / len(answered), 1) if answered else None,
                             round(100 * r, 1) if r is not None else None))
    return out
