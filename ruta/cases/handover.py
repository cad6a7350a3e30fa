"""Nobody leaves case work with open cases in their hands: accounts asks this before an
administrator deactivates a case worker or takes away their role or organisation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def open_cases_blocker(user: Any) -> str | None:
    from ruta.cases.actions import open_cases_owned

    n = open_cases_owned(user)
    if not n:
        return None
    text = ngettext(
        "%(username)s owns %(n)d open case. A case supervisor of their organisation must hand it to another "
        "case worker first:",
        "%(username)s owns %(n)d open cases. A case supervisor of their organisation must hand them to another "
        "case worker first:", n) % {"username": user.username, "n": n}
    return format_html('{} <a href="{}">{}</a>', text, reverse("cases:reassign", kwargs={"pk": user.pk}),
                       _("reassign open cases"))
