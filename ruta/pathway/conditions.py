"""When a rule applies: structured conditions, not code per rule.

A condition is a list of clauses; it holds when ANY clause holds, and a clause holds when
ALL of its tests hold. ``[{}]`` always holds (an empty clause has no test that can fail);
``[]`` never holds. The same evaluator is ported to ``static/pathway/guide.js`` for the
offline guide, and a browser test checks that both give the same plans.

Tests (keys of a clause):

===================  =========================================================
``violence_any``     list of violence types: at least one of them happened
``violence_none``    list of violence types: none of them happened
``age_lt``           age is known and lower than the number
``age_gte``          age is known and at least the number
``age_unknown``      true: age not known; false: age known
``hours_lt``         hours since the incident are known and lower than the number
``hours_gte``        hours since the incident are known and at least the number
``hours_unknown``    true: not known; false: known
``sex_in``           list of sexes
``relationship_in``  list of aggressor relationships
``lives_with``       the aggressor lives with the survivor (true/false)
``immediate_danger`` true/false
``is_student``       true/false
``reporter_in``      list of reporter roles
``unverified_step``  true: the plan has a step whose confidence is "unverified"
                     (only for warnings, evaluated after the steps)
===================  =========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ruta.pathway.codes import RELATIONSHIPS, REPORTER_ROLES, SEXES, VIOLENCE_TYPES

LIST_TESTS = {
    "violence_any": VIOLENCE_TYPES,
    "violence_none": VIOLENCE_TYPES,
    "sex_in": SEXES,
    "relationship_in": RELATIONSHIPS,
    "reporter_in": REPORTER_ROLES,
}
NUMBER_TESTS = ("age_lt", "age_gte", "hours_lt", "hours_gte")
BOOL_TESTS = ("age_unknown", "hours_unknown", "lives_with", "immediate_danger", "is_student", "unverified_step")
TESTS = (*LIST_TESTS, *NUMBER_TESTS, *BOOL_TESTS)


def facts_of(data: Any) -> dict[str, Any]:
    """The facts a clause is tested against, from a PlanInput."""
    return {
        "violence": set(data.violence_types),
        "age": data.age,
        "hours": data.hours_since_incident,
        "sex": data.sex,
        "relationship": data.aggressor_relationship,
        "lives_with": data.aggressor_lives_with_survivor,
        "immediate_danger": data.immediate_danger,
        "is_student": data.is_student,
        "reporter": data.reporter_role,
        "unverified_step": False,
    }


def clause_holds(clause: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    for test, want in clause.items():
        age, hours = facts["age"], facts["hours"]
        if test == "violence_any":
            ok = bool(facts["violence"] & set(want))
        elif test == "violence_none":
            ok = not (facts["violence"] & set(want))
        elif test == "age_lt":
            ok = age is not None and age < want
        elif test == "age_gte":
            ok = age is not None and age >= want
        elif test == "age_unknown":
            ok = (age is None) == want
        elif test == "hours_lt":
            ok = hours is not None and hours < want
        elif test == "hours_gte":
            ok = hours is not None and hours >= want
        elif test == "hours_unknown":
            ok = (hours is None) == want
        elif test == "sex_in":
            ok = facts["sex"] in want
        elif test == "relationship_in":
            ok = facts["relationship"] in want
        elif test == "reporter_in":
            ok = facts["reporter"] in want
        elif test in ("lives_with", "immediate_danger", "is_student", "unverified_step"):
            ok = bool(facts[test]) == want
        else:  # validate_condition keeps unknown tests out of the database
            raise ValueError(f"unknown condition test {test!r}")
        if not ok:
            return False
    return True


def holds(condition: list[Mapping[str, Any]], facts: Mapping[str, Any]) -> bool:
    return any(clause_holds(clause, facts) for clause in condition)


def validate_condition(value: Any) -> None:
    """Model-field validator: admins edit conditions as JSON in the admin."""
    if not isinstance(value, list):
        raise ValidationError(_("A condition is a list of clauses, e.g. [{\"age_lt\": 18}]; [{}] means always."))
    for clause in value:
        if not isinstance(clause, dict):
            raise ValidationError(_("Each clause must be an object such as {\"age_lt\": 18}."))
        for test, want in clause.items():
            if test not in TESTS:
                raise ValidationError(
                    _("Unknown test “%(test)s”. Known tests: %(known)s.") % {"test": test, "known": ", ".join(TESTS)}
                )
            if test in LIST_TESTS:
                allowed = LIST_TESTS[test]
                if not isinstance(want, list) or not want or any(w not in allowed for w in want):
                    raise ValidationError(
                        _("“%(test)s” takes a non-empty list of: %(allowed)s.")
                        % {"test": test, "allowed": ", ".join(allowed)}
                    )
            elif test in NUMBER_TESTS:
                if isinstance(want, bool) or not isinstance(want, int) or want < 0:
                    raise ValidationError(_("“%(test)s” takes a whole number of 0 or more.") % {"test": test})
            elif not isinstance(want, bool):
                raise ValidationError(_("“%(test)s” takes true or false.") % {"test": test})
