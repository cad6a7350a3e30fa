"""The care-pathway rules as data that administrators edit in the admin.

A :class:`Rule` is one step of Peru's ruta de atención (docs/architecture.md, "Stable codes"): who acts,
when it applies (structured conditions, see ``conditions.py``), its deadline, whether it is
mandatory, texts in plain words and for professionals in Spanish and English, and its legal
basis, source and confidence. A :class:`Caution` is a warning shown with a plan under its
own conditions. :class:`RulesRelease` names a version of the rules; the version a plan
carries also has a digest of the rules' content, so it changes with any edit.

Rules never compute a risk level: the official risk form is filled in by people.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.lib.codes import Confidence
from ruta.pathway.codes import OFFERS, DeadlineFrom, InstitutionKind, StepCode
from ruta.pathway.conditions import validate_condition


def validate_kinds(value: object) -> None:
    kinds = set(InstitutionKind.values)
    if not isinstance(value, list) or any(k not in kinds for k in value):
        raise ValidationError(_("A list of institution kinds: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))})


CONDITION_HELP = _(
    'A list of clauses; it holds when any clause holds, and a clause holds when all its tests hold. '
    '[{}] means always, [] never. Example: [{"violence_any": ["sexual"], "hours_lt": 72}]. '
    "Tests are listed in docs/pathway.md."
)


class Rule(models.Model):
    code = models.CharField(_("step code"), max_length=40, choices=StepCode.choices, unique=True)
    order = models.PositiveSmallIntegerField(_("order to act"), help_text=_("Lower numbers come first."))
    institution = models.CharField(_("institution kind"), max_length=30, choices=InstitutionKind.choices)
    service_kinds = models.JSONField(
        _("kinds of services listed"), default=list, validators=[validate_kinds],
        help_text=_('Directory services of these kinds are shown with the step, e.g. ["health"].'),
    )
    service_offer = models.CharField(
        _("preferred offer"), max_length=30, blank=True, choices=[(o, o) for o in OFFERS],
        help_text=_("When some nearby service offers this, only those are shown."),
    )
    applies_when = models.JSONField(_("applies when"), default=list, validators=[validate_condition],
                                    help_text=CONDITION_HELP)
    mandatory_when = models.JSONField(_("mandatory when"), default=list, blank=True,
                                      validators=[validate_condition], help_text=CONDITION_HELP)
    deadline_hours = models.PositiveIntegerField(
        _("deadline (hours)"), null=True, blank=True, help_text=_("Empty: no fixed deadline; 0: immediately.")
    )
    deadline_from = models.CharField(_("deadline counts"), max_length=12, choices=DeadlineFrom.choices,
                                     default=DeadlineFrom.DISCLOSURE)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    plain_es = models.TextField(_("why, in plain words (Spanish)"),
                                help_text=_("Words a 12-year-old understands."))
    plain_en = models.TextField(_("why, in plain words (English)"))
    professional_es = models.TextField(_("for professionals: duties (Spanish)"))
    professional_en = models.TextField(_("for professionals: duties (English)"))
    legal_basis = models.TextField(_("legal basis"))
    source = models.TextField(_("source"))
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("pathway rule")
        verbose_name_plural = _("pathway rules")

    def __str__(self) -> str:
        return f"{self.order}. {self.get_code_display()}"


class Caution(models.Model):
    """A warning shown with a plan, e.g. that sex with a child under 14 is always rape."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    applies_when = models.JSONField(_("applies when"), default=list, validators=[validate_condition],
                                    help_text=CONDITION_HELP)
    # Adults (teacher, health worker, family, authority, and case workers) read ``text_*``, written
    # as usted; young readers (the survivor, a friend) read ``young_*``, written as tú, when it is
    # not empty (a text that addresses nobody needs no second version).
    text_es = models.TextField(_("text (Spanish)"), help_text=_("For adults, addressed as usted."))
    text_en = models.TextField(_("text (English)"))
    young_es = models.TextField(_("text for young readers (Spanish)"), blank=True, help_text=_(
        "For the survivor or a friend, addressed as tú. Empty: they read the text above."))
    young_en = models.TextField(_("text for young readers (English)"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    source = models.TextField(_("source"))
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("pathway warning")
        verbose_name_plural = _("pathway warnings")

    def __str__(self) -> str:
        return self.code


class RulesRelease(models.Model):
    """A named version of the rules. Add one after reviewing a set of changes."""

    label = models.CharField(_("version"), max_length=40, unique=True)
    notes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rules version")
        verbose_name_plural = _("rules versions")

    def __str__(self) -> str:
        return self.label
