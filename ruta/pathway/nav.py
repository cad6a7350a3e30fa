"""The guide in the staff menu: teachers, facilitators and case workers use it when someone
tells them about violence."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User


def items(user: User) -> list[tuple[str, Any]]:
    return [("pathway:guide", _("Care-pathway guide"))]
