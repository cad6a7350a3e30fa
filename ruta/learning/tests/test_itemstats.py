"""Facility and discrimination checked against a hand-worked example (5 people, 3 items).

    person  i1 i2 i3        i1: facility 3/5 = 60 %; rest-of-test scores 2,1,0,1,0
    P1       1  1  1            cov = 0.60, var(x) = 1.20, var(rest) = 2.80 (sums of squares)
    P2       1  1  0            r = 0.60 / sqrt(1.20 × 2.80) = 0.3273 → 32.7
    P3       1  0  0        i3: facility 1/5 = 20 %; rest 2,2,1,1,0
    P4       0  1  0            cov = 0.80, var(x) = 0.80, var(rest) = 2.80
    P5       0  0  0            r = 0.80 / sqrt(0.80 × 2.80) = 0.5345 → 53.5
"""

from __future__ import annotations

from ruta.learning.itemstats import item_stats

GRID = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 1, 0), (0, 0, 0)]
PEOPLE = [{f"i{j + 1}": bool(v) for j, v in enumerate(row)} for row in GRID]


def test_facility_and_discrimination_match_the_hand_worked_example() -> None:
    stats = {s.item: s for s in item_stats(["i1", "i2", "i3"], PEOPLE)}
    assert (stats["i1"].facility, stats["i1"].discrimination) == (60.0, 32.7)
    assert (stats["i3"].facility, stats["i3"].discrimination) == (20.0, 53.5)


def test_difficult_means_under_80_percent() -> None:
    stats = item_stats(["i1"], [{"i1": True}] * 4 + [{"i1": False}])
    assert stats[0].facility == 80.0 and not stats[0].difficult
    assert item_stats(["i1"], [{"i1": True}] * 3 + [{"i1": False}])[0].difficult


def test_an_item_everyone_got_right_has_no_discrimination() -> None:
    stats = item_stats(["i1", "i2"], [{"i1": True, "i2": v} for v in (True, False, True)])
    assert stats[0].discrimination is None
    assert stats[0].facility == 100.0


def test_people_who_skipped_an_item_are_not_counted_for_it() -> None:
    stats = item_stats(["i1"], [{"i1": True}, {}, {"i2": True}])
    assert (stats[0].answered, stats[0].facility) == (1, 100.0)
