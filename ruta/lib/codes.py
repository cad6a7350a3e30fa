"""Stable codes shared by several apps (docs/architecture.md, "Stable codes"); other systems rely on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    FEMALE = "female", pgettext_lazy("sex", "Female")
    MALE = "male", pgettext_lazy("sex", "Male")
    INTERSEX = "intersex", pgettext_lazy("sex", "Intersex")
    UNKNOWN = "unknown", pgettext_lazy("sex", "Unknown")


class Confidence(models.TextChoices):
    """How sure Ruta is of a pathway rule or a directory entry."""

    # In the words the public sees (never the notes' marks).
    VERIFIED = "verified", _("checked against an official text")  # seen in the norm itself
    SECONDARY = "secondary", _("from public sources")  # press, NGO, copies of the norm
    UNVERIFIED = "unverified", _("to be confirmed")
