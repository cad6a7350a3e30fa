"""The learning app's code tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    A = "A", _("Form A")
    B = "B", _("Form B")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True or false")


class SessionState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SeatState(models.TextChoices):
    WAITING = "waiting", _("Waiting to be admitted")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")


LANGUAGES = ("es", "en")
