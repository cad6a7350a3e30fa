"""Person-level exports: who took records of people out of Ruta, when, and why.

Every export that carries persons (the GBVIMS incident recorder, the programme's records)
is a :class:`PersonExport` with a purpose. The file carries a watermark naming who, when
and why. A person's sixth such export within 24 hours waits for a supervisor's approval.
``scope`` is JSON, version 1: ``{"v": 1, ...}`` with what the export's kind needs to build the
file again (a date range, a programme and dataset), never personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INCIDENT_RECORDER = "cases.incident_recorder", _("GBVIMS incident recorder")
    PROGRAMME_RECORDS = "program.records", _("Programme records")


class PersonExport(models.Model):
    class Status(models.TextChoices):
        RELEASED = "released", _("Downloaded")
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved, not downloaded yet")
        REFUSED = "refused", _("Refused")

    kind = models.CharField(max_length=40, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300)
    scope = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "created_at"]),
                   models.Index(fields=["organisation", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
