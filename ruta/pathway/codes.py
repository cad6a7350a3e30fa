"""Stable codes of the care pathway (docs/architecture.md, "Stable codes"). Other systems and tests rely on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.codes import Sex


class StepCode(models.TextChoices):
    IMMEDIATE_SAFETY = "immediate_safety", _("Immediate safety")
    HEALTH_EMERGENCY_KIT = "health_emergency_kit", _("Emergency kit at a health facility")
    HEALTH_CARE = "health_care", _("Health care")
    REPORT_TO_AUTHORITIES = "report_to_authorities", _("Report to the authorities")
    FORENSIC_EXAM = "forensic_exam", _("Forensic examination")
    SINGLE_INTERVIEW = "single_interview", _("Single interview (Cámara Gesell)")
    PROTECTION_MEASURES = "protection_measures", _("Protection measures")
    CEM_CARE = "cem_care", _("Care at a Centro Emergencia Mujer")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    SCHOOL_REPORT = "school_report", _("School report")
    EDUCATION_CONTINUITY = "education_continuity", _("Staying in school")
    MENTAL_HEALTH_FOLLOWUP = "mental_health_followup", _("Mental health follow-up")
    LEGAL_AID = "legal_aid", _("Free legal aid")


class InstitutionKind(models.TextChoices):
    CEM = "cem", _("Centro Emergencia Mujer (CEM)")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    FORENSIC = "forensic", _("Forensic medicine")
    COURT = "court", _("Court")
    HEALTH = "health", _("Health facility")
    MENTAL_HEALTH = "mental_health", _("Mental health centre")
    CHILD_PROTECTION = "child_protection", _("Child protection unit (UPE)")
    DEMUNA = "demuna", _("DEMUNA")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    SCHOOL = "school", _("School")
    UGEL = "ugel", _("UGEL")
    HOTLINE = "hotline", _("Hotline")
    NGO = "ngo", _("NGO")


class DeadlineFrom(models.TextChoices):
    INCIDENT = "incident", _("from the incident")
    DISCLOSURE = "disclosure", _("from now (when someone learns of it)")


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Partner")
    EX_PARTNER = "ex_partner", _("Former partner")
    PARENT_OR_CAREGIVER = "parent_or_caregiver", _("Parent or caregiver")
    OTHER_FAMILY = "other_family", _("Other family member")
    SCHOOL_STAFF = "school_staff", _("School staff")
    SCHOOLMATE = "schoolmate", _("Schoolmate")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    STRANGER = "stranger", _("Stranger")
    UNKNOWN = "unknown", _("Unknown")


class ReporterRole(models.TextChoices):
    # Who brought the case (a case's `reporter_role`, and the engine's).
    SELF = "self", _("The survivor")
    FRIEND = "friend", _("A friend or another young person")
    TEACHER = "teacher", _("Teacher")
    HEALTH_WORKER = "health_worker", _("Health worker")
    FAMILY = "family", _("Family member")
    COMMUNITY = "community", _("Community leader")
    AUTHORITY = "authority", _("Local authority")


VIOLENCE_TYPES = ("sexual", "physical", "psychological", "economic")
SEXES = tuple(Sex.values)
RELATIONSHIPS = tuple(Relationship.values)
REPORTER_ROLES = tuple(ReporterRole.values)
# Readers addressed as tú (young people: the survivor, a friend); every other reader is an adult,
# addressed as usted. The guide picks texts by this (presenter, engine warnings, guide.js).
YOUNG_READERS = (ReporterRole.SELF.value, ReporterRole.FRIEND.value)
LANGS = ("es", "en")
OFFERS = ("emergency_kit", "medical", "psychological", "legal", "forensic", "protection", "shelter",
          "reporting", "information")
