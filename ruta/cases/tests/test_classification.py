from __future__ import annotations

import pytest

from ruta.cases.classification import QUESTION_FIELDS, ContextFacts, case_contexts, classify, unanswered_before_yes
from ruta.cases.forms import IncidentForm

TYPES = ["rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources",
         "psychological_abuse"]


@pytest.mark.parametrize(("index", "expected"), list(enumerate(TYPES)))
def test_each_question_decides_its_type(index: int, expected: str) -> None:
    answers: dict[str, bool | None] = {f: False for f in QUESTION_FIELDS[:index]}
    answers[QUESTION_FIELDS[index]] = True
    assert classify(answers) == expected


def test_no_yes_is_non_gbv() -> None:
    assert classify({f: False for f in QUESTION_FIELDS}) == "non_gbv"


@pytest.mark.parametrize("index", range(6))
def test_the_first_yes_wins_over_every_later_one(index: int) -> None:
    answers = {f: i >= index for i, f in enumerate(QUESTION_FIELDS)}
    assert classify(answers) == TYPES[index]


def test_attempted_rape_is_sexual_assault_not_rape() -> None:
    # No penetration; unwanted sexual contact (the attempt); physical force too.
    assert classify({"q_penetration": False, "q_sexual_contact": True, "q_physical": True}) == "sexual_assault"


def test_rape_with_beating_and_forced_marriage_is_rape() -> None:
    answers = {f: True for f in QUESTION_FIELDS}
    assert classify(answers) == "rape"


def test_questions_must_be_answered_in_order_until_a_yes() -> None:
    assert unanswered_before_yes({"q_physical": True}) == ["q_penetration", "q_sexual_contact"]
    assert unanswered_before_yes({"q_penetration": True}) == []
    assert unanswered_before_yes({"q_penetration": False, "q_sexual_contact": False}) == [
        "q_physical", "q_forced_marriage", "q_denial", "q_psychological"]


def _ctx(gbv_type: str, age: int | None, rel: str = "stranger", money: bool = False) -> list[str]:
    return case_contexts(ContextFacts(gbv_type, age, rel, money))


def test_case_contexts_follow_the_gbvims_notes() -> None:
    assert _ctx("physical_assault", 30, "partner") == ["intimate_partner_violence"]
    assert _ctx("psychological_abuse", 30, "ex_partner") == ["intimate_partner_violence"]
    assert _ctx("rape", 15) == ["child_sexual_abuse"]
    assert _ctx("sexual_assault", 17) == ["child_sexual_abuse"]
    assert _ctx("rape", 18) == []
    assert _ctx("forced_marriage", 16) == ["early_marriage"]
    assert _ctx("forced_marriage", 19) == []
    assert _ctx("rape", 25, money=True) == ["possible_sexual_exploitation"]
    assert _ctx("physical_assault", 25, money=True) == []
    assert _ctx("rape", 14, "partner", True) == ["intimate_partner_violence", "child_sexual_abuse",
                                                "possible_sexual_exploitation"]
    assert _ctx("rape", None) == []  # unknown age: no child context is invented


@pytest.mark.django_db
def test_the_form_rejects_a_later_yes_with_earlier_questions_blank() -> None:
    form = IncidentForm({"i-q_physical": "True"}, prefix="i")
    assert not form.is_valid()
    assert "q_penetration" in form.errors and "q_sexual_contact" in form.errors
    assert "q_forced_marriage" not in form.errors
