"""Navigation entry of programme monitoring."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.program.policy import can_use_program


def items(user: Any) -> list[tuple[str, Any]]:
    return [("program:home", _("Programme"))] if can_use_program(user) else []
