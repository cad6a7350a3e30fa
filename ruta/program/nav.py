"""Navigation entry of programme monitoring."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.program.policy import can_use_program


def items(user: User) -> list[tuple[str, Any]]:
    return [("program:home", _("Programme"))] if can_use_program(user) else []
