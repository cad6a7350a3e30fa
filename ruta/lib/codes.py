"""Stable codes shared by several apps (DESIGN.md "Stable codes"); other systems rely on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    FEMALE = "female", pgettext_lazy("sex", "Female")
    MALE = "male", pgettext_lazy("sex", "Male")
    INTERSEX = "intersex", pgettext_lazy("sex", "Intersex")
    UNKNOWN = "unknown", pgettext_lazy("sex", "Unknown")
