"""The service directory: where a survivor, or the adult helping her, can get help.

Each service says what it offers (``offers``, a list of codes filterable with the
``has`` lookup: ``Service.objects.filter(offers__has="emergency_kit")``), where it is
(a UBIGEO district, or ``national`` for lines such as Línea 100 that have none) and how
sure we are of it (``confidence``, shown in plain words: checked against an official
source, from public sources, or to be confirmed) and who runs it (``sector``: private
services charge and are never called free).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.directory.fields import CodeListField
from ruta.geo.models import District
from ruta.lib.codes import Confidence


class Kind(models.TextChoices):
    """Institution kinds (docs/architecture.md, "Stable codes")."""

    CEM = "cem", _("Women's Emergency Centre (CEM)")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    FORENSIC = "forensic", _("Forensic medicine")
    COURT = "court", _("Court")
    HEALTH = "health", _("Health facility")
    MENTAL_HEALTH = "mental_health", _("Mental health centre")
    CHILD_PROTECTION = "child_protection", _("Child protection unit (UPE)")
    DEMUNA = "demuna", _("Municipal child ombudsman (DEMUNA)")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    SCHOOL = "school", _("School")
    UGEL = "ugel", _("Local education office (UGEL)")
    HOTLINE = "hotline", _("Hotline")
    NGO = "ngo", _("Civil society organisation")


class Offer(models.TextChoices):
    """What a service offers (stable codes)."""

    EMERGENCY_KIT = "emergency_kit", _("Emergency kit (within 72 hours)")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL = "legal", _("Legal help")
    FORENSIC = "forensic", _("Forensic examination")
    PROTECTION = "protection", _("Protection")
    SHELTER = "shelter", _("Shelter")
    REPORTING = "reporting", _("Receives reports")
    INFORMATION = "information", _("Information and guidance")


class Language(models.TextChoices):
    """Languages a service can attend in (ISO 639 codes)."""

    SPANISH = "es", _("Spanish")
    QUECHUA = "qu", _("Quechua")
    AYMARA = "ay", _("Aymara")
    HARAKBUT = "amr", _("Harakbut")
    ESE_EJA = "ese", _("Ese Eja")
    MATSIGENKA = "mcb", _("Matsigenka")
    YINE = "pib", _("Yine")
    SHIPIBO = "shp", _("Shipibo-Konibo")
    SIGN = "psp", _("Peruvian Sign Language")


class Sector(models.TextChoices):
    """Who runs a service: private ones charge, so they are never called free."""

    PUBLIC = "public", _("public")
    SOCIAL_SECURITY = "social_security", _("EsSalud (social security)")
    PRIVATE = "private", _("private: charges for care")


# Proximity tiers used by ``ServiceQuerySet.for_plan`` (lower is nearer).
SAME_DISTRICT, SAME_PROVINCE, SAME_DEPARTMENT, NATIONAL, ELSEWHERE = range(5)

_PHONE_SPLIT = re.compile(r"[;/,|]| - | o ")


def phone_list(phones: str | None) -> list[str]:
    """The numbers of a service's ``phones`` field, in order."""
    return [p.strip() for p in _PHONE_SPLIT.split(phones or "") if p.strip()]


def first_phone(phones: str | None) -> str:
    """The first number of a ``phones`` field, or ``""``."""
    numbers = phone_list(phones)
    return numbers[0] if numbers else ""


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(active=True)

    def offering_any(self, offers: Iterable[str]) -> ServiceQuerySet:
        q = Q()
        for code in offers:
            q |= Q(offers__has=code)
        return self.filter(q) if q else self

    def for_plan(
        self,
        district_code: str | None,
        kinds: Iterable[str] = (),
        offers: Iterable[str] = (),
        urgent: bool = False,
    ) -> ServiceQuerySet:
        """Active services for a care-pathway step, nearest first.

        Keeps services in the same district, province or department as
        ``district_code`` (a 6-digit UBIGEO, whose prefixes are the province and
        department codes) and national services; with no district, national ones only.
        ``kinds`` and ``offers`` each narrow the result when given (a service must be of
        one of the kinds AND offer one of the offers). Order: same district → same
        province → same department → national; within each tier, open 24 h first when
        ``urgent``; then by name. Each row is annotated with ``proximity`` (0–3).
        """
        qs = self.active().select_related("district")
        kinds = list(kinds)
        if kinds:
            qs = qs.filter(kind__in=kinds)
        qs = qs.offering_any(offers)
        if district_code:
            code = str(district_code)
            proximity = Case(
                When(district_id=code, then=Value(SAME_DISTRICT)),
                When(district__code__startswith=code[:4], then=Value(SAME_PROVINCE)),
                When(district__code__startswith=code[:2], then=Value(SAME_DEPARTMENT)),
                When(national=True, then=Value(NATIONAL)),
                default=Value(ELSEWHERE),
                output_field=IntegerField(),
            )
        else:
            proximity = Case(
                When(national=True, then=Value(NATIONAL)), default=Value(ELSEWHERE), output_field=IntegerField()
            )
        qs = qs.annotate(proximity=proximity).filter(proximity__lt=ELSEWHERE)
        order = ["proximity", "-open_24h", "name", "pk"] if urgent else ["proximity", "name", "pk"]
        return qs.order_by(*order)


class Service(models.Model):
    """A place or line that helps survivors. Institutional data, not personal data."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("institution kind"), max_length=20, choices=Kind.choices, db_index=True)
    offers = CodeListField(_("offers"), choices=Offer.choices, help_text=_("What people can get here."))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="services",
        null=True,
        blank=True,
        help_text=_("Empty only for national services."),
    )
    national = models.BooleanField(
        _("national"), default=False, help_text=_("A line or service for the whole country, e.g. Línea 100.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phones = models.CharField(
        _("phones"), max_length=200, blank=True, help_text=_("Separate numbers with ';'. The first one is called.")
    )
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    languages = CodeListField(
        _("languages served"), choices=Language.choices, help_text=_("Leave empty when not known.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Shown to the public."))
    source = models.TextField(_("source"), help_text=_("Where this information comes from."))
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.UNVERIFIED
    )
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, blank=True, help_text=_("Empty when not known.")
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    renipress_code = models.CharField(
        _("RENIPRESS code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Health facility code in SUSALUD's registry (COD_IPRESS)."),
    )
    category = models.CharField(
        _("category"), max_length=10, blank=True, help_text=_("Health facility level, e.g. I-4.")
    )
    key = models.SlugField(
        _("seed key"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Stable identifier of a service Ruta ships with, so seeding never adds it twice."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceQuerySet.as_manager()
    # Administrators' edits; the RENIPRESS importer writes in bulk and leaves no history.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(national=True) | Q(district__isnull=False), name="service_has_district_or_is_national"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_list(self) -> list[str]:
        return phone_list(self.phones)

    @property
    def phone(self) -> str:
        """The first phone number, or ``""``."""
        return first_phone(self.phones)

    @property
    def tel_uri(self) -> str:
        """``tel:`` link for the first phone (digits and a leading + only), or ``""``."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits else ""

    @property
    def offer_labels(self) -> list[str]:
        return [str(Offer(code).label) for code in self.offers if code in Offer.values]

    @property
    def language_labels(self) -> list[str]:
        return [str(Language(code).label) for code in self.languages if code in Language.values]

    @property
    def is_verified(self) -> bool:
        return self.confidence == Confidence.VERIFIED

    @property
    def is_private(self) -> bool:
        return self.sector == Sector.PRIVATE

    @property
    def map_url(self) -> str:
        """An OpenStreetMap link to the coordinates, or ``""``."""
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=16/{self.latitude}/{self.longitude}"
        )

    def card(self) -> dict[str, Any]:
        """The service as the pathway engine's output shows it (district = UBIGEO or None)."""
        return {
            "id": self.pk,
            "name": self.name,
            "kind": self.kind,
            "district": self.district_id,
            "phone": self.phone,
            "open_24h": self.open_24h,
        }
