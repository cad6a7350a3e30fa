"""The GBVIMS Classification Tool: six questions asked in order, the first "yes" decides.

One incident has one type. Attempted rape is sexual assault, not rape. The case
context (intimate partner violence, child sexual abuse, early marriage, possible sexual
exploitation) is derived separately and is not a type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# (answer field, type it decides, the question as the tool asks it), in the tool's order.
QUESTIONS: list[tuple[str, str, Any]] = [
    ("q_penetration", "rape", _(
        "Did the reported incident involve penetration, however slight, of the vagina, anus or mouth "
        "with a penis or other body part or object, without consent?")),
    ("q_sexual_contact", "sexual_assault", _(
        "Did the incident involve unwanted sexual contact without penetration (including attempted "
        "rape and female genital mutilation/cutting)?")),
    ("q_physical", "physical_assault", _(
        "Did the incident involve physical assault (hitting, slapping, kicking, pushing, burning or "
        "other physical violence) that is not sexual?")),
    ("q_forced_marriage", "forced_marriage", _(
        "Was the incident an act of forced marriage (including early marriage)?")),
    ("q_denial", "denial_of_resources", _(
        "Did the incident involve denial of resources, opportunities or services (not general "
        "poverty), such as inheritance, earnings, education or health care?")),
    ("q_psychological", "psychological_abuse", _(
        "Did the incident involve psychological or emotional abuse (threats, intimidation, "
        "humiliation, forced isolation, stalking, harassment)?")),
]
QUESTION_FIELDS = [q for q, _t, _text in QUESTIONS]

GBV_TYPES: list[tuple[str, Any]] = [
    ("rape", _("Rape")),
    ("sexual_assault", _("Sexual assault")),
    ("physical_assault", _("Physical assault")),
    ("forced_marriage", _("Forced marriage")),
    ("denial_of_resources", _("Denial of resources, opportunities or services")),
    ("psychological_abuse", _("Psychological / emotional abuse")),
    ("non_gbv", _("Non-GBV")),
]

CONTEXTS: list[tuple[str, Any]] = [
    ("intimate_partner_violence", _("Intimate partner violence")),
    ("child_sexual_abuse", _("Child sexual abuse")),
    ("early_marriage", _("Early marriage")),
    ("possible_sexual_exploitation", _("Possible sexual exploitation")),
]

PARTNER_RELATIONSHIPS = frozenset({"partner", "ex_partner"})


def classify(answers: Mapping[str, bool | None]) -> str:
    """The GBV type: the first question answered "yes", in the tool's order; else ``non_gbv``."""
    for field, gbv_type, _text in QUESTIONS:
        if answers.get(field):
            return gbv_type
    return "non_gbv"


def unanswered_before_yes(answers: Mapping[str, bool | None]) -> list[str]:
    """Questions left blank before the deciding one: the tool asks each until a "yes"."""
    missing: list[str] = []
    for field, _t, _text in QUESTIONS:
        value = answers.get(field)
        if value:
            return missing
        if value is None:
            missing.append(field)
    return missing


@dataclass(frozen=True)
class ContextFacts:
    gbv_type: str
    survivor_age: int | None
    aggressor_relationship: str
    money_or_goods_exchanged: bool


def case_contexts(facts: ContextFacts) -> list[str]:
    """The case contexts of the GBVIMS notes, derived from the type and the incident's facts."""
    found = []
    sexual = facts.gbv_type in ("rape", "sexual_assault")
    child = facts.survivor_age is not None and facts.survivor_age < 18
    if facts.aggressor_relationship in PARTNER_RELATIONSHIPS:
        found.append("intimate_partner_violence")
    if sexual and child:
        found.append("child_sexual_abuse")
    if facts.gbv_type == "forced_marriage" and child:
        found.append("early_marriage")
    if sexual and facts.money_or_goods_exchanged:
        found.append("possible_sexual_exploitation")
    return found
