"""Confidential case records: case, survivor, incident, consent, referral, follow-up, closure.

Names, document numbers, phones, addresses, narratives, notes and outcomes are
``EncryptedTextField``; the document number is found through its keyed hash
(``Survivor.document_hash``), never by decrypting. Incidents carry the survivor's code and
the facts statistics need (age, sex, district), never a name, so erasure can keep a
de-identified incident when the survivor consented to statistics.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases import cem
from ruta.cases.classification import CONTEXTS, GBV_TYPES, ContextFacts, case_contexts, classify
from ruta.cases.codes import (
    ACTIVE_CASE_STATUSES,
    PENDING_REFERRAL_STATUSES,
    REFERRAL_STEP_CHOICES,
    AgeGroup,
    CaseStatus,
    ClosureDecision,
    ClosureReason,
    ConsentGiver,
    DocumentType,
    ErasureDecision,
    GenderIdentity,
    MotherTongue,
    PerpetratorCount,
    PlaceType,
    ReferralStatus,
    Sex,
    YesNoUnknown,
)
from ruta.lib.crypto import normalise_for_search
from ruta.lib.fields import EncryptedTextField, search_hash
from ruta.pathway.codes import Relationship, ReporterRole

# Codes are read aloud on the phone: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DOCUMENT_HASH_PURPOSE = "cases.survivor.document_number"
NAME_PART_HASH_PURPOSE = "cases.survivor.name_part"
_NAME_SPLIT = re.compile(r"[\s\-'’.,]+")


def name_parts(*names: str | None) -> set[str]:
    """The parts of a person's names as a search matches them: split on spaces, hyphens and
    apostrophes; case and accents do not matter and ñ counts as n (``normalise_for_search``).
    Parts of one letter ("y", initials) are left out."""
    parts = set()
    for name in names:
        for part in _NAME_SPLIT.split(name or ""):
            normalised = normalise_for_search(part)
            if len(normalised) >= 2:
                parts.add(normalised)
    return parts


def name_part_hashes(*names: str | None) -> set[str]:
    """The keyed hashes of :func:`name_parts`; the key is the search key (never rotated with the
    encryption keys, so ``rotate_keys`` leaves these as they are, like ``document_hash``)."""
    return {search_hash(part, NAME_PART_HASH_PURPOSE) for part in name_parts(*names)}


def new_code(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(7))


# The clinical window for the sexual-violence kit (pathway.md: WHO standard, [U] in Peru).
KIT_WINDOW_HOURS = 72


class Survivor(models.Model):
    code = models.CharField(_("survivor code"), max_length=12, unique=True)
    given_names = EncryptedTextField(_("given names"), null=True, blank=True)
    family_names = EncryptedTextField(_("family names"), null=True, blank=True)
    document_type = models.CharField(_("document type"), max_length=10, choices=DocumentType.choices,
                                     default=DocumentType.NONE)
    document_number = EncryptedTextField(_("document number"), null=True, blank=True)
    document_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), null=True, blank=True)
    address = EncryptedTextField(_("address"), null=True, blank=True)
    guardian_contact = EncryptedTextField(_("parent or guardian contact"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("age (years), when the birth date is unknown"), null=True,
                                                 blank=True)
    age_recorded_on = models.DateField(null=True, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    gender_identity = models.CharField(_("gender identity (optional)"), max_length=12,
                                       choices=GenderIdentity.choices, blank=True)
    disability = models.CharField(_("disability"), max_length=8, choices=YesNoUnknown.choices,
                                  default=YesNoUnknown.UNKNOWN)
    # Ruta's own codes, shared by the whole project (``ruta.lib.codes.MotherTongue``); the CEM
    # register's LENGUA_MATERNA_VICTIMA codes map onto them (``ruta.stats.register.MOTHER_TONGUE``).
    mother_tongue = models.CharField(_("mother tongue"), max_length=15, choices=MotherTongue.choices, blank=True)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district of residence"))
    is_student = models.BooleanField(_("studies at a school"), default=False)
    unaccompanied_child = models.BooleanField(_("unaccompanied or separated child"), default=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("survivor")

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.document_hash = search_hash(self.document_number, DOCUMENT_HASH_PURPOSE)
        if self.age_years is not None and self.age_recorded_on is None:
            self.age_recorded_on = timezone.localdate()
        super().save(*args, **kwargs)
        self.index_names()

    def index_names(self) -> None:
        """Keep the keyed hashes of the name parts (the name search's index) in step with the names."""
        wanted = name_part_hashes(self.given_names, self.family_names)
        have = set(SurvivorNamePart.objects.filter(survivor=self).values_list("hash", flat=True))
        if have - wanted:
            SurvivorNamePart.objects.filter(survivor=self, hash__in=have - wanted).delete()
        SurvivorNamePart.objects.bulk_create([SurvivorNamePart(survivor=self, hash=h) for h in wanted - have])

    def age_on(self, day: date) -> int | None:
        if self.birth_date:
            b = self.birth_date
            return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        if self.age_years is not None:
            recorded = self.age_recorded_on or day
            return max(0, self.age_years + int((day - recorded).days / 365.25))
        return None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_names) if p)


class SurvivorNamePart(models.Model):
    """The keyed hash of one part of a survivor's names (given or family), so a case worker can
    find a case by name without Ruta decrypting every name: the search hashes each part of what
    was typed the same way and looks the hashes up. Written by ``Survivor.save``."""

    survivor = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="name_parts")
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survivor", "hash"], name="survivor_name_part_unique")]
        indexes = [models.Index(fields=["hash"], name="survivor_name_part_hash")]


class Case(models.Model):
    code = models.CharField(_("case code"), max_length=12, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases",
                                     verbose_name=_("organisation"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases",
                              verbose_name=_("case worker"))
    assigned: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CaseAssignment", related_name="+", blank=True,
        verbose_name=_("assigned workers"))
    survivor = models.OneToOneField(Survivor, on_delete=models.PROTECT, related_name="case")
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    reporter_role = models.CharField(_("who identified the case"), max_length=20, choices=ReporterRole.choices)
    immediate_danger = models.BooleanField(_("in immediate danger when the case was opened"), default=False)
    # As written on the official risk form by a person; Ruta never computes it.
    risk_level = models.PositiveSmallIntegerField(_("risk level (official risk form)"), null=True, blank=True,
                                                  choices=cem.choices(cem.RISK_LEVEL))
    risk_assessed_on = models.DateField(_("date of the risk form"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Kept by the actions so lists and the "today" page need no per-row aggregate.
    next_referral_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_followup_at = models.DateTimeField(_("next follow-up"), null=True, blank=True)
    followup_alert_stage = models.PositiveSmallIntegerField(default=0, editable=False)
    pathway_rules_version = models.CharField(max_length=40, blank=True, editable=False)
    # Computed by the database from `status`, so an index can lead with it (SQLite cannot use a
    # partial index whose condition arrives as query parameters).
    active = models.GeneratedField(
        expression=models.Case(models.When(status__in=["open", "reopened"], then=models.Value(True)),
                               default=models.Value(False)),
        output_field=models.BooleanField(), db_persist=True)

    class Meta:
        verbose_name = _("case")
        indexes = [
            # The case list shows active cases, newest first.
            models.Index(fields=["organisation", "active", "opened_at", "id"], name="case_org_active_opened"),
            models.Index(fields=["owner", "active", "opened_at", "id"], name="case_owner_active_opened"),
            # Every case of an organisation, newest first: the "All" list, and a name search walking
            # the newest cases until a page of them matches (rather than sorting every match).
            models.Index(fields=["organisation", "opened_at", "id"], name="case_org_opened"),
            models.Index(fields=["organisation", "status", "opened_at"], name="case_org_status_opened"),
            models.Index(fields=["owner", "status", "opened_at"], name="case_owner_status_opened"),
            # A supervisor's "today" counts the active cases' follow-ups due, from the index alone.
            models.Index(fields=["organisation", "active", "next_followup_at", "id"], name="case_org_active_followup"),
            models.Index(fields=["next_followup_at"], name="case_followup"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_CASE_STATUSES


class CaseAssignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "case"], name="case_assignment_unique")]


class Incident(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    code = models.CharField(_("incident code"), max_length=16, unique=True)
    survivor_code = models.CharField(_("survivor code"), max_length=12)
    occurred_on = models.DateField(_("date of the incident"))
    occurred_time = models.TimeField(_("time of the incident (if known)"), null=True, blank=True)
    date_is_approximate = models.BooleanField(_("the date is approximate"), default=False)
    reported_on = models.DateField(_("date of report"), default=timezone.localdate)
    # The Classification Tool's answers, in its order; `gbv_type` follows from them.
    q_penetration = models.BooleanField(null=True, blank=True)
    q_sexual_contact = models.BooleanField(null=True, blank=True)
    q_physical = models.BooleanField(null=True, blank=True)
    q_forced_marriage = models.BooleanField(null=True, blank=True)
    q_denial = models.BooleanField(null=True, blank=True)
    q_psychological = models.BooleanField(null=True, blank=True)
    gbv_type = models.CharField(_("GBV type"), max_length=20, choices=GBV_TYPES, editable=False)
    # CEM register violence types: several may apply.
    vt_economic = models.BooleanField(_("economic or property violence"), default=False)
    vt_psychological = models.BooleanField(_("psychological violence"), default=False)
    vt_physical = models.BooleanField(_("physical violence"), default=False)
    vt_sexual = models.BooleanField(_("sexual violence"), default=False)
    aggressor_relationship = models.CharField(_("relationship of the aggressor"), max_length=20,
                                              choices=Relationship.choices)
    aggressor_sex = models.CharField(_("sex of the aggressor"), max_length=10, choices=Sex.choices)
    aggressor_age_group = models.CharField(_("age group of the aggressor"), max_length=8, choices=AgeGroup.choices,
                                           default=AgeGroup.UNKNOWN)
    perpetrator_count = models.CharField(_("number of perpetrators"), max_length=12,
                                         choices=PerpetratorCount.choices, default=PerpetratorCount.ONE)
    aggressor_lives_with_survivor = models.PositiveSmallIntegerField(
        _("the aggressor lives with the survivor"), choices=cem.choices(cem.LIVES_WITH), default=0)
    first_time = models.PositiveSmallIntegerField(_("first time this aggressor attacked"),
                                                  choices=cem.choices(cem.FIRST_TIME), null=True, blank=True)
    previous_incidents = models.PositiveSmallIntegerField(_("previous incidents"), default=0)
    previously_reported = models.BooleanField(_("reported before elsewhere"), default=False)
    place_type = models.CharField(_("type of place"), max_length=20, choices=PlaceType.choices)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district where it happened"))
    money_or_goods_exchanged = models.BooleanField(_("money, goods or favours were exchanged"), default=False)
    narrative = EncryptedTextField(_("what happened, in the survivor's words"), null=True, blank=True)
    # Facts kept with the incident so a de-identified record still counts in statistics.
    survivor_age = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    survivor_sex = models.CharField(max_length=10, choices=Sex.choices, editable=False)
    ctx_intimate_partner = models.BooleanField(default=False, editable=False)
    ctx_child_sexual_abuse = models.BooleanField(default=False, editable=False)
    ctx_early_marriage = models.BooleanField(default=False, editable=False)
    ctx_sexual_exploitation = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("incident")
        indexes = [models.Index(fields=["reported_on"], name="incident_reported_on")]

    def __str__(self) -> str:
        return self.code

    def derive(self, survivor: Survivor) -> None:
        """Fill the derived fields: type, contexts, and the survivor's age and sex at the incident."""
        self.survivor_code = survivor.code
        self.survivor_sex = survivor.sex
        self.survivor_age = survivor.age_on(self.occurred_on)
        self.gbv_type = classify({f: getattr(self, f) for f in _QUESTION_FIELDS})
        found = set(case_contexts(ContextFacts(self.gbv_type, self.survivor_age, self.aggressor_relationship,
                                               self.money_or_goods_exchanged)))
        self.ctx_intimate_partner = "intimate_partner_violence" in found
        self.ctx_child_sexual_abuse = "child_sexual_abuse" in found
        self.ctx_early_marriage = "early_marriage" in found
        self.ctx_sexual_exploitation = "possible_sexual_exploitation" in found

    @property
    def contexts(self) -> list[str]:
        labels = dict(CONTEXTS)
        pairs = [
            (self.ctx_intimate_partner, "intimate_partner_violence"),
            (self.ctx_child_sexual_abuse, "child_sexual_abuse"),
            (self.ctx_early_marriage, "early_marriage"),
            (self.ctx_sexual_exploitation, "possible_sexual_exploitation"),
        ]
        return [str(labels[code]) for on, code in pairs if on]

    @property
    def violence_types(self) -> list[str]:
        return [code for code in ("economic", "psychological", "physical", "sexual") if getattr(self, f"vt_{code}")]

    def occurred_at(self) -> datetime:
        """When it happened; an unknown time counts as the end of that day, so the 72-hour kit
        window is never shown as closed when it may still be open."""
        tz = timezone.get_default_timezone()
        moment = self.occurred_time or time(23, 59)
        return timezone.make_aware(datetime.combine(self.occurred_on, moment), tz)

    def kit_window_closes(self) -> datetime:
        """When the 72-hour window for the emergency kit closes, at the earliest: with an unknown
        time of day it is counted from the start of that day, so no deadline is ever late."""
        tz = timezone.get_default_timezone()
        start = timezone.make_aware(datetime.combine(self.occurred_on, self.occurred_time or time(0, 0)), tz)
        return start + timedelta(hours=KIT_WINDOW_HOURS)


_QUESTION_FIELDS = ["q_penetration", "q_sexual_contact", "q_physical", "q_forced_marriage", "q_denial",
                    "q_psychological"]


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    child_assent = models.BooleanField(_("the child gave assent"), default=False)
    for_services = models.BooleanField(_("to receive services"), default=False)
    for_sharing = models.BooleanField(_("to share information with the services referred to"), default=False)
    for_statistics = models.BooleanField(_("to count in non-identifiable statistics"), default=False)
    given_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("consent")

    @property
    def covers_referrals(self) -> bool:
        return self.withdrawn_at is None and self.for_services and self.for_sharing


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    # The case's organisation, copied so a supervisor's "today" reads one index in deadline order.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                     editable=False)
    step_code = models.CharField(_("pathway step"), max_length=30, choices=REFERRAL_STEP_CHOICES)
    service = models.ForeignKey("directory.Service", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("service"))
    # The kind of institution the pathway names (directory kinds), for a referral whose
    # service is chosen later.
    institution = models.CharField(_("institution"), max_length=20, blank=True)
    # The service's name when referred, kept if the directory changes later.
    service_name = models.CharField(_("service"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"))
    mandatory = models.BooleanField(_("mandatory"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.REQUESTED)
    outcome = EncryptedTextField(_("outcome"), null=True, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    override_reason = EncryptedTextField(_("reason for referring without consent"), null=True, blank=True)
    rules_version = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic lock: every change says which version it read and bumps it.
    version = models.PositiveIntegerField(default=1)
    # 0 nothing sent, 1 "due soon" sent, 2 "overdue" sent; reset when the deadline moves.
    alert_stage = models.PositiveSmallIntegerField(default=0)
    # The emergency kit is announced at once, whatever its deadline (the 72-hour window must not
    # wait for the "due soon" alert), then reminded by the usual alerts before it closes.
    kit_notice_sent = models.BooleanField(default=False, editable=False)
    # Requested or accepted: still waiting for care. Computed by the database (see Case.active).
    pending = models.GeneratedField(
        expression=models.Case(models.When(status__in=list(PENDING_REFERRAL_STATUSES), then=models.Value(True)),
                               default=models.Value(False)),
        output_field=models.BooleanField(), db_persist=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("referral")
        indexes = [
            # "Today" and the alerts walk pending referrals in deadline order.
            models.Index(fields=["pending", "due_at", "id"], name="referral_pending_due"),
            models.Index(fields=["organisation", "pending", "due_at", "id"], name="referral_org_pending_due"),
            models.Index(fields=["organisation", "pending", "step_code", "due_at"],
                         name="referral_org_pending_step_due"),
            models.Index(fields=["case", "pending", "due_at"], name="referral_case_pending_due"),
            # The alerts' kit notice looks for kits not announced yet: a handful among all referrals.
            models.Index(fields=["step_code", "kit_notice_sent"], name="referral_kit_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step_code}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_REFERRAL_STATUSES

    @property
    def destination(self) -> str:
        """Where the survivor is referred: the service, or else the kind of institution."""
        if self.service_name:
            return self.service_name
        from ruta.directory.models import Kind

        return str(dict(Kind.choices).get(self.institution, self.institution))


class ReferralUpdate(models.Model):
    """One change of a referral's status, for the case timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    due_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


class FollowUp(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followups")
    done_on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedTextField(_("note"), null=True, blank=True)
    next_at = models.DateTimeField(_("next follow-up"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("follow-up")


class StatusChange(models.Model):
    """Opening, closing and reopening, each with who and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CaseStatus.choices)
    reason = EncryptedTextField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Closure(models.Model):
    """A case worker's request to close, and the supervisor's decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    note = EncryptedTextField(_("note"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("decision"), max_length=10, choices=ClosureDecision.choices,
                                default=ClosureDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("supervisor's note"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("closure")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(decision="pending"),
                                    name="closure_one_pending_per_case"),
        ]
        # A supervisor's "today" lists the pending requests, oldest first: read from here, not by
        # probing every case of the organisation (SQLite cannot use the partial index above for a
        # condition sent as a parameter).
        indexes = [models.Index(fields=["decision", "requested_at"], name="closure_decision_requested")]


class ErasureRequest(models.Model):
    """A request to erase the survivor's identifying data, and another supervisor's decision:
    nobody erases alone."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("decision"), max_length=10, choices=ErasureDecision.choices,
                                default=ErasureDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("erasure request")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(decision="pending"),
                                    name="erasure_one_pending_per_case"),
        ]
        indexes = [models.Index(fields=["decision", "requested_at"], name="erasure_decision_requested")]


# Filters on the computed flags. Django writes `flag=True` as a bare `WHERE flag`, which SQLite
# cannot match to an index column; `flag IN (1)` it can (PostgreSQL takes either).
PENDING = {"pending__in": (True,)}
ACTIVE = {"active__in": (True,)}

