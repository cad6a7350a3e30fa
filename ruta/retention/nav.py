"""The erasure page in the menu of coordinators and M&E officers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.retention.policy import can_see_erasures


def items(user: User) -> list[tuple[str, Any]]:
    return [("retention:erasures", _("Erasures"))] if can_see_erasures(user) else []
