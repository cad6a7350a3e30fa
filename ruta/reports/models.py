"""The narrative of a donor report: what the coordinator writes beside the figures."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DonorNarrative(models.Model):
    """One narrative per programme and reporting period (a quarter, a year, the whole grant).

    Plain text: it is written for the donor and must never name a participant. Its history
    (who changed what, when) is kept by simple-history.
    """

    programme = models.ForeignKey("program.Programme", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))
    summary = models.TextField(_("summary"), blank=True, max_length=6000)
    achievements = models.TextField(_("achievements"), blank=True, max_length=6000)
    challenges = models.TextField(_("challenges and how they were addressed"), blank=True, max_length=6000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=6000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("donor report narrative")
        verbose_name_plural = _("donor report narratives")
        constraints = [
            models.UniqueConstraint(fields=["programme", "period_start", "period_end"],
                                    name="narrative_once_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="narrative_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.period_start}–{self.period_end}"

    @property
    def is_empty(self) -> bool:
        return not any((self.summary, self.achievements, self.challenges, self.next_steps))


DHIS2_UID = RegexValidator(r"^[A-Za-z][A-Za-z0-9]{10}$",
                           _("A DHIS2 identifier has 11 characters: a letter, then letters or digits."))


class Dhis2Code(models.Model):
    """Where a programme's figure goes in DHIS2: the data set, the organisation unit of a district
    (UBIGEO) or of the department, the data element of an indicator, the category option combo of
    a sex (or ``default``). Set by an administrator; the DHIS2 export leaves out what has no code."""

    class Kind(models.TextChoices):
        DATA_SET = "data_set", _("Data set")
        ORG_UNIT = "org_unit", _("Organisation unit (UBIGEO)")
        DATA_ELEMENT = "data_element", _("Data element (indicator code)")
        CATEGORY_OPTION_COMBO = "coc", _("Category option combo (sex, or default)")

    programme = models.ForeignKey("program.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    key = models.CharField(_("Ruta code"), max_length=40, blank=True,
                           help_text=_("Indicator code, UBIGEO, sex or 'default'; empty for the data set."))
    uid = models.CharField(_("DHIS2 identifier"), max_length=11, validators=[DHIS2_UID])

    class Meta:
        verbose_name = _("DHIS2 code")
        constraints = [models.UniqueConstraint(fields=["programme", "kind", "key"], name="reports_one_dhis2_code")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} → {self.uid}"
