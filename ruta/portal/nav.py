"""Navigation entry of the public site's reach (coordinator and M&E officer)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User


def items(user: User) -> list[tuple[str, Any]]:
    from ruta.portal.views import sees_site_reach

    return [("portal:site_reach", _("Reach of the public site"))] if sees_site_reach(user) else []
