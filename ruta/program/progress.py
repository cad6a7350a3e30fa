"""“Are we on track?”: what a target expects by now, and a status in colour and words.

One function, :func:`assess`, is used by the dashboard, the targets screen and the donor
report, so the three never disagree.

Expected by now. A target of a *count* (people reached, sessions) grows over the
programme's period: by default linearly from 0 on the first day to the full value on the
last; a target may carry a *plan* instead (cumulative values at dates, straight lines in
between). For a window of the period (a filter, a quarter of the donor report) what is
expected is what the plan adds inside it, up to today. A target of a *share* or a *mean*
(post-test pass share, knowledge gain) is a level, expected in full at any time.

Status. The value reached against what is expected: on track at 95 % or more, behind from
80 % to 95 %, at risk below 80 % (:data:`ON_TRACK_SHARE`, :data:`BEHIND_SHARE`). Nothing is
expected before the period starts: then the target is on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ON_TRACK_SHARE = Decimal("0.95")  # at or above this share of what is expected: on track
BEHIND_SHARE = Decimal("0.80")  # at or above this (and below ON_TRACK_SHARE): behind; below: at risk


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    AT_RISK = "at_risk", _("At risk")


SYMBOLS = {Status.ON_TRACK: "✓", Status.BEHIND: "!", Status.AT_RISK: "✕"}

PlanPoint = tuple[dt.date, Decimal]


@dataclass(frozen=True)
class Assessment:
    expected: Decimal  # expected by now (in the window), in the indicator's unit
    status: Status
    share_of_expected: Decimal | None  # reached ÷ expected; None when nothing is expected yet

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]


def _cumulative(day: dt.date, value: Decimal, starts_on: dt.date, ends_on: dt.date,
                plan: Sequence[PlanPoint] = ()) -> Decimal:
    """What the target expects from the start of the period up to the end of ``day``."""
    if plan:
        points = sorted(plan)
        previous_day, previous = starts_on - dt.timedelta(days=1), Decimal(0)
        for when, cumulative in points:
            if day < when:
                span = (when - previous_day).days
                done = (day - previous_day).days
                if done <= 0:
                    return previous
                return previous + (Decimal(cumulative) - previous) * Decimal(done) / Decimal(span)
            previous_day, previous = when, Decimal(cumulative)
        return previous
    if day < starts_on:
        return Decimal(0)
    if day >= ends_on:
        return Decimal(value)
    days = (ends_on - starts_on).days + 1
    return Decimal(value) * Decimal((day - starts_on).days + 1) / Decimal(days)


def expected_by(value: Decimal, *, starts_on: dt.date, ends_on: dt.date, today: dt.date, cumulative: bool = True,
                window: tuple[dt.date, dt.date] | None = None, plan: Sequence[PlanPoint] = ()) -> Decimal:
    """What a target of ``value`` over ``starts_on``–``ends_on`` expects by ``today`` (inside
    ``window`` when given). A level (``cumulative=False``) is expected in full."""
    if not cumulative:
        return Decimal(value)
    first, last = window or (starts_on, ends_on)
    last = min(last, today)
    if last < first:
        return Decimal(0)
    before = _cumulative(first - dt.timedelta(days=1), value, starts_on, ends_on, plan)
    return max(Decimal(0), _cumulative(last, value, starts_on, ends_on, plan) - before)


def status_of(reached: Decimal | float | int, expected: Decimal) -> Status:
    if expected <= 0:
        return Status.ON_TRACK
    share = Decimal(str(reached)) / expected
    if share >= ON_TRACK_SHARE:
        return Status.ON_TRACK
    if share >= BEHIND_SHARE:
        return Status.BEHIND
    return Status.AT_RISK


def assess(reached: Decimal | float | int, value: Decimal, *, starts_on: dt.date, ends_on: dt.date,
           today: dt.date, cumulative: bool = True, window: tuple[dt.date, dt.date] | None = None,
           plan: Sequence[PlanPoint] = ()) -> Assessment:
    """Expected by now and the status of a target whose value reached is ``reached``."""
    expected = expected_by(value, starts_on=starts_on, ends_on=ends_on, today=today, cumulative=cumulative,
                           window=window, plan=plan)
    share = None
    if expected > 0:
        share = (Decimal(str(reached)) / expected).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return Assessment(expected, status_of(reached, expected), share)


def parse_plan(raw: object) -> list[PlanPoint]:
    """A target's stored plan (``[["2026-06-30", "600"], ...]``) as points; bad entries are skipped."""
    points: list[PlanPoint] = []
    if not isinstance(raw, list):
        return points
    for entry in raw:
        try:
            when, amount = entry
            points.append((dt.date.fromisoformat(str(when)), Decimal(str(amount))))
        except (TypeError, ValueError, ArithmeticError):
            continue
    return sorted(points)


HEADLINE = [("youth_reached", ""), ("youth_reached", "female"), ("youth_reached", "male")]


def headline_first(indicator: str, sex: str, other_dimensions: bool, registry_order: Sequence[str]) -> tuple[int, int]:
    """Sort key: the youth, female and male targets first (in that order), then by indicator."""
    if not other_dimensions and (indicator, sex) in HEADLINE:
        return (0, HEADLINE.index((indicator, sex)))
    return (1, registry_order.index(indicator) if indicator in registry_order else len(registry_order))
