from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.reports.policy import can_read_reports


def items(user: User) -> list[tuple[str, Any]]:
    return [("reports:index", _("Donor reports"))] if can_read_reports(user) else []
