from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KeysConfig(AppConfig):
    name = "ruta.keys"
    label = "keys"
    verbose_name = _("Keys")

    def ready(self) -> None:
        from django.core import checks

        from ruta.keys.checks import keys_system_check

        # Untagged checks run on `check`, `runserver` and `migrate` (not on `init_keys`).
        checks.register(keys_system_check, "ruta_keys")
        post_migrate.connect(_seal_canary, sender=self)


def _seal_canary(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A new instance gets its canary as soon as its tables exist (an upgraded one too)."""
    from ruta.keys.canary import check_canary

    check_canary(using=using)  # a problem here is reported by the key check at start
