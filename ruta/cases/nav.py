"""Navigation entries of case work (only for case workers and supervisors)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.cases.policy import is_case_supervisor, works_on_cases


def items(user: User) -> list[tuple[str, Any]]:
    if not works_on_cases(user):
        return []
    entries: list[tuple[str, Any]] = [("cases:today", _("Today")), ("cases:list", _("Cases")),
                                      ("cases:open", _("Open a case"))]
    if is_case_supervisor(user):
        entries.append(("cases:export", _("Export")))
    return entries
