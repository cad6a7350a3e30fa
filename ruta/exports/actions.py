"""Asking for, deciding on and releasing person-level exports (all audited)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.accounts.policy import organisation_id_of
from ruta.audit.actions import record_access
from ruta.exports.models import PersonExport
from ruta.exports.policy import may_decide

# The sixth person-level export by one person within a day waits for a second person.
FREE_PER_DAY = 5
WINDOW = timedelta(hours=24)


class ExportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def request_export(user: User, kind: str, scope: dict[str, Any], purpose: str) -> PersonExport:
    """Record the export; it is released at once unless this is the person's sixth within a day."""
    purpose = " ".join(purpose.split())
    with transaction.atomic():
        # Counted under the write lock (SQLite IMMEDIATE; PostgreSQL locks the user's row) so two
        # exports at once cannot both be the fifth.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = PersonExport.objects.filter(requested_by=user, created_at__gte=timezone.now() - WINDOW).exclude(
            status=PersonExport.Status.REFUSED).count()
        status = PersonExport.Status.WAITING if recent >= FREE_PER_DAY else PersonExport.Status.APPROVED
        export = PersonExport.objects.create(kind=kind, requested_by=user, organisation_id=organisation_id_of(user),
                                             purpose=purpose, scope={"v": 1, **scope}, status=status)
        record_access(user, "export.requested", export, detail={"kind": kind, "status": status})
    return export


def decide(user: User, export: PersonExport, *, approve: bool) -> PersonExport:
    with transaction.atomic():
        export = PersonExport.objects.select_for_update().get(pk=export.pk)
        if not may_decide(user, export):
            raise ExportRefused(_("Only another supervisor of the organisation can decide on this export, and only "
                                  "while it waits."))
        export.status = PersonExport.Status.APPROVED if approve else PersonExport.Status.REFUSED
        export.decided_by, export.decided_at = user, timezone.now()
        export.save(update_fields=["status", "decided_by", "decided_at"])
        record_access(user, "export.approved" if approve else "export.refused", export)
    return export


def release(user: User, export: PersonExport, rows: int | None) -> None:
    """The file was built and handed over: once per approval."""
    updated = PersonExport.objects.filter(pk=export.pk, requested_by=user, status=PersonExport.Status.APPROVED).update(
        status=PersonExport.Status.RELEASED, released_at=timezone.now(), rows=rows)
    if not updated:
        raise ExportRefused(_("This export was downloaded already or is not approved."))
    record_access(user, "export.released", export, detail={"rows": rows})


def claimable(user: User, export: PersonExport) -> bool:
    return export.requested_by_id == user.pk and export.status == PersonExport.Status.APPROVED


def watermark(export: PersonExport) -> str:
    """The line every exported file carries: who, when, why."""
    when = formats.date_format(timezone.localtime(export.created_at), "DATETIME_FORMAT")
    return _("Exported from Ruta by {user} on {when}, export no. {number}. Purpose: {purpose}. Confidential: "
             "keep it as safe as the records themselves.").format(
        user=export.requested_by.username, when=when, number=export.pk, purpose=export.purpose)
