"""The rules a new participant must meet, written once: the registration screen
(``actions.check_new_participant``) and the import (``imports.importer``) both call
:func:`check_birth_and_consent` and show the messages of :data:`MESSAGES`, each under its own
field or column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.program.models import age_on

MAX_AGE = 110


class Problem(StrEnum):
    NO_BIRTH_OR_AGE = "no_birth_or_age"
    BORN_AFTER_REGISTRATION = "born_after_registration"
    AGE_DOES_NOT_MATCH = "age_does_not_match"
    AGE_NOT_PLAUSIBLE = "age_not_plausible"
    NEEDS_GUARDIAN_CONSENT = "needs_guardian_consent"


# The field (screen) or column (file) each problem belongs to.
FIELDS = {
    Problem.NO_BIRTH_OR_AGE: "birth_date",
    Problem.BORN_AFTER_REGISTRATION: "birth_date",
    Problem.AGE_DOES_NOT_MATCH: "age",
    Problem.AGE_NOT_PLAUSIBLE: "birth_date",
    Problem.NEEDS_GUARDIAN_CONSENT: "guardian_consent",
}

MESSAGES = {
    Problem.NO_BIRTH_OR_AGE: _("Give the birth date or the age."),
    Problem.BORN_AFTER_REGISTRATION: _("The birth date is after the registration date."),
    Problem.AGE_DOES_NOT_MATCH: _("The age ({age}) does not match the birth date (which gives {computed})."),
    Problem.AGE_NOT_PLAUSIBLE: _("This age is not plausible; check the birth date."),
    Problem.NEEDS_GUARDIAN_CONSENT: _("This participant is under 18: a parent or guardian must consent "
                                      "(guardian_consent: yes) before they are registered."),
}


@dataclass(frozen=True)
class Found:
    problem: Problem
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> str:
        return FIELDS[self.problem]

    @property
    def message(self) -> str:
        return str(MESSAGES[self.problem]).format(**self.params)


@dataclass(frozen=True)
class Birth:
    """The birth date to store (estimated from the age when none was given) and the age at registration."""

    date: dt.date
    estimated: bool
    age: int


def birth_date_from_age(age: int, on: dt.date) -> dt.date:
    """The latest birth date giving ``age`` on ``on`` (age in completed years)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28)


def check_birth_and_consent(*, birth_date: dt.date | None, age: int | None, registered_on: dt.date,
                            guardian_consent: bool) -> tuple[Found | None, Birth | None]:
    """The first problem, or the birth facts to store. Pure: no database, no request."""
    if birth_date is None and age is None:
        return Found(Problem.NO_BIRTH_OR_AGE), None
    if birth_date is not None:
        if birth_date > registered_on:
            return Found(Problem.BORN_AFTER_REGISTRATION), None
        birth = Birth(birth_date, False, age_on(birth_date, registered_on))
        if age is not None and abs(age - birth.age) > 1:
            return Found(Problem.AGE_DOES_NOT_MATCH, {"age": age, "computed": birth.age}), None
    else:
        assert age is not None
        birth = Birth(birth_date_from_age(age, registered_on), True, age)
    if birth.age > MAX_AGE:
        return Found(Problem.AGE_NOT_PLAUSIBLE), None
    if birth.age < 18 and not guardian_consent:
        return Found(Problem.NEEDS_GUARDIAN_CONSENT), None
    return None, birth
