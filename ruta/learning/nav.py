"""Navigation entry of the learning app (course reports)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.learning.policy import can_see_reports


def items(user: User) -> list[tuple[str, Any]]:
    return [("learning:reports", _("Courses"))] if can_see_reports(user) else []
