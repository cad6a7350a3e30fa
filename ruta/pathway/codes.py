"""Stable codes of the care pathway (DESIGN.md). Other systems and tests rely on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Confidence(models.TextChoices):
    VERIFIED = "verified", _("checked against an official text")
    SECONDARY = "secondary", _("from public sources")  # press, NGO, copies of the norm
    UNVERIFIED = "unverified", _("to be confirmed")  # [U]


class DeadlineFrom(models.TextChoices):
    INCIDENT = "incident", _("from the incident")
    DISCLOSURE = "disclosure", _("from now (when someone learns of it)")


VIOLENCE_TYPES = ("sexual", "physical", "psychological", "economic")
SEXES = ("female", "male", "intersex", "unknown")
RELATIONSHIPS = ("partner", "ex_partner", "parent_or_caregiver", "other_family", "school_staff",
                 "schoolmate", "acquaintance", "stranger", "unknown")
REPORTER_ROLES = ("self", "friend", "teacher", "health_worker", "family", "community", "authority")
LANGS = ("es", "en")
OFFERS = ("emergency_kit", "medical", "psychological", "legal", "forensic", "protection", "shelter",
          "reporting", "information")
