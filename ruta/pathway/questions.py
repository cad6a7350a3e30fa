"""The guide's questions, one per screen, in the order they are asked.

Each question fills one field of :class:`~ruta.pathway.inputs.PlanInput`. Answers travel
between screens in hidden fields of POST forms (never in the URL). ``"unknown"`` is a
real answer ("I don't know") and becomes ``None`` or the field's unknown code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Approximate times map to the LATEST hour of each range, so a deadline is never overstated.
HOURS_CHOICES = [
    ("12", _("Less than 12 hours ago (today)")),
    ("24", _("Between 12 and 24 hours ago")),
    ("48", _("Between 1 and 2 days ago")),
    ("71", _("Between 2 and 3 days ago")),
    ("96", _("More than 3 days ago")),
    ("unknown", _("I don't know")),
]
YES_NO = [("true", _("Yes")), ("false", _("No"))]
YES_NO_UNKNOWN = [("true", _("Yes")), ("false", _("No")), ("unknown", _("I don't know"))]


@dataclass(frozen=True)
class Question:
    name: str  # the PlanInput field it fills
    text_self: Promise  # asked to the survivor
    text_other: Promise  # asked to the adult helping
    choices: Sequence[tuple[str, Promise | str]]
    multiple: bool = False
    help_self: Promise | str = ""
    help_other: Promise | str = ""

    def text(self, reporter: str) -> Promise:
        return self.text_self if reporter == "self" else self.text_other

    def help(self, reporter: str) -> Promise | str:
        return self.help_self if reporter == "self" else self.help_other


QUESTIONS: list[Question] = [
    Question(
        "reporter_role", _("Who are you?"), _("Who are you?"),
        [("self", _("It happened to me")), ("friend", _("I am a friend, or another young person")),
         ("teacher", _("I am a teacher and a student told me")),
         ("health_worker", _("I am a health worker")), ("family", _("I am a family member")),
         ("community", _("I am a neighbour or community leader")),
         ("authority", _("I work for a local authority"))],
    ),
    Question(
        "immediate_danger", _("Are you in danger right now?"), _("Is the person in danger right now?"),
        YES_NO, help_self=_("For example, the person who hurt you is near or may come back today."),
        help_other=_("For example, the person who hurt them is near or may come back today."),
    ),
    Question(
        "violence_types", _("What happened? Choose all that apply."), _("What happened? Choose all that apply."),
        [("sexual", _("Sexual: touching, or forcing or pressuring into anything sexual")),
         ("physical", _("Physical: hitting, pushing, burning, or other harm to the body")),
         ("psychological", _("Psychological: insults, threats, humiliation, control")),
         ("economic", _("Economic: taking or withholding money, food or belongings"))],
        multiple=True,
    ),
    Question(
        "hours_since_incident", _("When did it happen the last time?"), _("When did it happen the last time?"),
        HOURS_CHOICES, help_self=_("Medicines that prevent pregnancy and infections work only in the first 72 hours."),
        help_other=_("Medicines that prevent pregnancy and infections work only in the first 72 hours."),
    ),
    Question("age", _("How old are you?"), _("How old is the person?"), []),
    Question(
        "sex", _("Are you…"), _("Is the person…"),
        [("female", _("A girl or woman")), ("male", _("A boy or man")), ("intersex", _("Intersex")),
         ("unknown", _("I prefer not to say"))],
    ),
    Question(
        "aggressor_relationship", _("Who did it?"), _("Who did it?"),
        [("parent_or_caregiver", _("A parent, stepparent or the person who looks after them")),
         ("other_family", _("Another family member")), ("partner", _("A boyfriend, girlfriend or partner")),
         ("ex_partner", _("An ex-partner")), ("school_staff", _("A teacher or someone who works at the school")),
         ("schoolmate", _("A schoolmate")), ("acquaintance", _("Someone known: a neighbour, a friend")),
         ("stranger", _("A stranger")), ("unknown", _("I don't know or prefer not to say"))],
    ),
    Question(
        "aggressor_lives_with_survivor", _("Does that person live with you?"),
        _("Does that person live with them?"), YES_NO_UNKNOWN,
    ),
    Question("is_student", _("Do you go to school?"), _("Does the person go to school?"), YES_NO_UNKNOWN),
    Question("district", _("Where are you?"), _("Where is the person?"), []),
]
BY_NAME = {q.name: q for q in QUESTIONS}


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Only sexual violence needs the time since the incident (the 72-hour window); a
    teacher's student goes to school, so the teacher is not asked."""
    if question.name == "hours_since_incident":
        return "sexual" in (answers.get("violence_types") or [])
    if question.name == "is_student":
        return answers.get("reporter_role") != "teacher"
    return True


def next_question(answers: Mapping[str, Any]) -> Question | None:
    for question in QUESTIONS:
        if applies(question, answers) and question.name not in answers:
            return question
    return None


def previous_question(name: str, answers: Mapping[str, Any]) -> Question | None:
    before = None
    for question in QUESTIONS:
        if question.name == name:
            return before
        if applies(question, answers):
            before = question
    return before


def to_plan_input(answers: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The raw input for ``parse_plan_input`` from the guide's answers."""
    raw: dict[str, Any] = {"lang": lang}
    if answers.get("reporter_role") == "teacher":
        raw["is_student"] = "true"
    for name, value in answers.items():
        if name in ("aggressor_lives_with_survivor", "is_student") and value == "unknown":
            value = "false"  # not known: the steps that need a "yes" are not added
        elif name in ("age", "hours_since_incident", "district") and value == "unknown":
            value = None
        raw[name] = value
    return raw
