"""Navigation entry of the anonymous questions (counsellors and case supervisors)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.questions.policy import works_on_questions


def items(user: User) -> list[tuple[str, Any]]:
    return [("questions:queue", _("Young people's questions"))] if works_on_questions(user) else []
