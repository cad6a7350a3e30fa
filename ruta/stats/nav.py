from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.stats.policy import can_read_statistics


def items(user: Any) -> list[tuple[str, Any]]:
    return [("stats:index", _("Statistics"))] if can_read_statistics(user) else []
