"""State changes of accounts that are written to the access log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ruta.accounts import keep
from ruta.accounts.models import KeptForm, User
from ruta.accounts.policy import Lockout
from ruta.audit.actions import record_access

LOCKED_OUT = "login_locked_out"
LOCKOUT_LIFTED = "login_lockout_lifted"


def _record(actor: Any, action: str, username: str) -> None:
    # Only the username: the address and the browser stay in axes' own short-lived table.
    user = User.objects.filter(username=username).first()
    record_access(actor, action, user, object_type="accounts.user", detail={"username": username})


def record_lockout(username: str) -> None:
    _record(None, LOCKED_OUT, username)


def lift_lockout(actor: User, lockout: Lockout) -> None:
    """Let the (username, address) pair log in again, whatever its browser."""
    with transaction.atomic():
        AccessAttempt.objects.filter(username=lockout.username, ip_address=lockout.ip_address).delete()
        _record(actor, LOCKOUT_LIFTED, lockout.username)


# No lost work (ruta/accounts/keep.py). The access events name the form's address and the
# kept row, never its content.
FORM_KEPT = "form_kept"
FORM_RESTORED = "form_restored"
FORM_NOT_KEPT = "form_not_kept"
KEPT_FORMS_DELETED = "kept_forms_deleted"
LOGIN_RECORDS_DELETED = "login_records_deleted"
MAX_KEPT_PER_USER = 10


def keep_form(user: User, path: str, fields: dict[str, list[str]]) -> KeptForm:
    """Keep ``fields`` posted to ``path`` after ``user``'s session ended, encrypted, for an hour.
    A later post of the same form replaces the earlier one; a user keeps at most ten forms."""
    now = timezone.now()
    expires = now + timedelta(minutes=settings.RUTA_KEPT_FORM_MINUTES)
    with transaction.atomic():
        kept, _created = KeptForm.objects.update_or_create(
            user=user, path=path, defaults={"data": keep.encode(fields), "created_at": now, "expires_at": expires})
        surplus = KeptForm.objects.filter(user=user).values_list("pk", flat=True)[MAX_KEPT_PER_USER:]
        KeptForm.objects.filter(pk__in=list(surplus)).delete()
        record_access(user, FORM_KEPT, kept, detail={"form": path, "fields": len(fields)})
    return kept


def refuse_to_keep(user: User | None, path: str, why: str) -> None:
    """Write that a post after the session ended was not kept (who, which form, why; no content)."""
    record_access(user, FORM_NOT_KEPT, object_type="accounts.keptform", detail={"form": path, "why": why})


def kept_form_for(user: User, path: str) -> KeptForm | None:
    return KeptForm.objects.filter(user=user, path=path, expires_at__gt=timezone.now()).first()


def has_kept_forms(user: User) -> bool:
    return KeptForm.objects.filter(user=user, expires_at__gt=timezone.now()).exists()


def mark_restored(user: User, kept: KeptForm) -> None:
    """The kept form was shown back to its user: it is deleted."""
    with transaction.atomic():
        if kept.user_id != user.pk:
            raise PermissionError("a kept form goes back only to its own user")
        record_access(user, FORM_RESTORED, kept, detail={"form": kept.path})
        KeptForm.objects.filter(pk=kept.pk).delete()


def delete_expired_kept_forms(now: datetime | None = None) -> int:
    """Delete every kept form past its hour (the schedule runs it)."""
    with transaction.atomic():
        deleted, _by_model = KeptForm.objects.filter(expires_at__lte=now or timezone.now()).delete()
        if deleted:
            record_access(None, KEPT_FORMS_DELETED, object_type="accounts.keptform", detail={"count": deleted})
    return deleted


def prune_login_records(now: datetime | None = None) -> int:
    """Delete django-axes' records of logins and failed logins (each with the client's address
    and browser) older than ``RUTA_LOGIN_RECORD_DAYS`` (the schedule runs it daily)."""
    before = (now or timezone.now()) - timedelta(days=settings.RUTA_LOGIN_RECORD_DAYS)
    with transaction.atomic():
        deleted = sum(model.objects.filter(attempt_time__lt=before).delete()[0]
                      for model in (AccessLog, AccessFailureLog, AccessAttempt))
        if deleted:
            record_access(None, LOGIN_RECORDS_DELETED, object_type="axes.accesslog", detail={"count": deleted})
    return deleted
