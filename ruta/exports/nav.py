"""The exports page in the menu of those who export person-level records or approve them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.exports.policy import can_see_exports


def items(user: User) -> list[tuple[str, Any]]:
    return [("exports:list", _("Exports log"))] if can_see_exports(user) else []
