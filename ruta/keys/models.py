"""The key canary: a known value sealed with the instance's keys when it was set up.

If the keys in use cannot open it, they are not the keys the data was written with, and
Ruta refuses to start instead of failing on the first case page (or, for the search key,
silently finding nothing).
"""

from __future__ import annotations

from django.db import models


class KeyCanary(models.Model):
    sealed = models.TextField()  # the known text, encrypted with the ring (rotate_keys re-seals it)
    search_hash = models.CharField(max_length=64)  # keyed hash of the known text
    audit_key_id = models.CharField(max_length=16)
    audit_mac = models.CharField(max_length=64)  # HMAC of the known text with that audit key
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="keys_canary_single_row")]
