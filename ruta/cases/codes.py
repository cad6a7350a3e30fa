"""Stable codes of the cases app (docs/architecture.md, "Stable codes", where it has them).

Pathway step codes are the pathway's own (``ruta.pathway.codes.StepCode``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.codes import MotherTongue, Sex  # noqa: F401  (re-exported: the app's code tables)
from ruta.pathway.codes import StepCode


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Other")
    NOT_SAID = "not_said", _("Prefers not to say")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    FOREIGNER_CARD = "ce", _("Foreigner's card (CE)")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other")
    NONE = "none", _("None")


# The register's VINCULO_AGRESOR_VICTIMA group for each relationship (1 partner, 2 family, 3 neither).
RELATIONSHIP_CEM_GROUP = {
    "partner": 1, "ex_partner": 1, "parent_or_caregiver": 2, "other_family": 2,
    "school_staff": 3, "schoolmate": 3, "acquaintance": 3, "stranger": 3,
}


class AgeGroup(models.TextChoices):
    # The Incident Recorder's perpetrator age groups.
    CHILD = "0-11", _("0–11")
    ADOLESCENT = "12-17", _("12–17")
    YOUNG_ADULT = "18-25", _("18–25")
    ADULT = "26-40", _("26–40")
    MIDDLE = "41-60", _("41–60")
    OLDER = "61+", _("61 and over")
    UNKNOWN = "unknown", _("Unknown")


class PerpetratorCount(models.TextChoices):
    ONE = "1", _("1")
    TWO = "2", _("2")
    THREE = "3", _("3")
    MORE = "more_than_3", _("More than 3")
    UNKNOWN = "unknown", _("Unknown")


class PlaceType(models.TextChoices):
    SURVIVOR_HOME = "survivor_home", _("Survivor's home")
    PERPETRATOR_HOME = "perpetrator_home", _("Perpetrator's home")
    SCHOOL = "school", _("School")
    STREET = "street", _("Street or public place")
    WORKPLACE = "workplace", _("Workplace")
    MINING_CAMP = "mining_camp", _("Mining camp")
    FIELD_OR_FOREST = "field_or_forest", _("Field, river or forest")
    BAR = "bar", _("Bar or night venue")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


ACTIVE_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.REOPENED)


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    ATTENDED = "attended", _("Attended")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# A referral still waiting for care: it has a deadline that can pass.
PENDING_REFERRAL_STATUSES = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED)


# A referral follows a pathway step (the pathway's own codes), or goes to a service it does not name.
OTHER_STEP = "other"
REFERRAL_STEP_CHOICES = [*StepCode.choices, (OTHER_STEP, _("Other service"))]


class ConsentGiver(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor")
    GUARDIAN = "guardian", _("Parent or guardian, with the child's assent")


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", _("Care plan completed; needs met")
    SURVIVOR_REQUEST = "survivor_request", _("The survivor asked to close")
    MOVED = "moved", _("The survivor moved away")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    NO_CONTACT = "no_contact", _("No contact after repeated attempts")
    OTHER = "other", _("Other")


class ErasureDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved and erased")
    REJECTED = "rejected", _("Refused")


class ClosureDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned to the case worker")
