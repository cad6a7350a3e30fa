"""How long each organisation keeps identifying data, and requests to erase a participant.

Erasure removes what identifies a person and keeps what the figures count (docs/operations.md,
"Retention and erasure"): a survivor's data through ``ruta.cases.actions.erase_survivor``, a
participant's through :func:`ruta.retention.actions.erase_participant`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases.codes import ErasureDecision

MAX_MONTHS = 1200  # a hundred years


class RetentionPolicy(models.Model):
    """Blank periods are off: nothing is erased for that kind of record (the admin home warns)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, primary_key=True,
                                        related_name="+", verbose_name=_("organisation"))
    closed_cases_months = models.PositiveSmallIntegerField(
        _("closed cases: months to keep"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text=_("Months after a case is closed before its survivor's identifying data is erased. "
                    "Blank: never (off)."))
    participants_months = models.PositiveSmallIntegerField(
        _("participants: months to keep after the programme ends"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text=_("Months after the end of a programme before its participants' names and birth dates are "
                    "erased. Blank: never (off)."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return str(self.organisation)


class ParticipantErasure(models.Model):
    """A coordinator's request to erase a participant, and another person's decision."""

    participant = models.ForeignKey("program.Participant", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("decision"), max_length=10, choices=ErasureDecision.choices,
                                default=ErasureDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("participant erasure request")
        constraints = [
            models.UniqueConstraint(fields=["participant"], condition=models.Q(decision="pending"),
                                    name="participant_erasure_one_pending"),
        ]
