"""The append-only, hash-chained, signed access log.

Each event's hash covers its own fields and the previous event's hash, so altering or
removing any event breaks every link after it; each event also carries a MAC of its hash
made with an audit key kept outside the database (``RUTA_AUDIT_KEYS``), so nobody can
recompute the chain after an edit without that key. Checkpoints of the chain's head kept
outside the database (``ruta.audit.checkpoint``) catch the removal of the newest events.
``manage.py verify_audit`` checks all three. Events name objects by type and id, never by a
person's name.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    pass


class AccessEvent(models.Model):
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_constraint=False
    )
    actor_username = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=40)  # view, print, export, update…
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    detail = models.JSONField(_("detail"), default=dict, blank=True)  # no personal data
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16, default="")  # the audit key that made ``mac``
    mac = models.CharField(max_length=64, default="")  # HMAC-SHA256 of mac_message()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]
        verbose_name = _("access event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("access events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("access events cannot be deleted")

    def mac_message(self) -> str:
        return mac_message(self.hash)

    def compute_hash(self) -> str:
        payload = json.dumps(
            {
                "at": self.at.isoformat(),
                "actor": self.actor_id,
                "actor_username": self.actor_username,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": str(self.object_id),
                "detail": self.detail,
                "prev": self.prev_hash,
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def mac_message(event_hash: str) -> str:
    """What an event's MAC signs: its hash, which covers its fields and its predecessor."""
    return f"ruta-audit-event:{event_hash}"
