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


class MotherTongue(models.TextChoices):
    """The language a person learnt to speak in childhood, as Ruta records it for statistics.

    The languages of Madre de Dios have their own code (Harakbut, Ese Eja, Matsigenka, Yine,
    Shipibo-Konibo, Kichwa); other Amazonian or Andean languages are ``other_native``. The CEM
    register's ``LENGUA_MATERNA_VICTIMA`` is coarser (no Harakbut, Ese Eja, Yine or Kichwa):
    see ``ruta.stats.register`` for how its codes map here.
    """

    SPANISH = "spanish", pgettext_lazy("language", "Spanish")
    QUECHUA = "quechua", pgettext_lazy("language", "Quechua")
    AYMARA = "aymara", pgettext_lazy("language", "Aymara")
    HARAKBUT = "harakbut", pgettext_lazy("language", "Harakbut")
    ESE_EJA = "ese_eja", pgettext_lazy("language", "Ese Eja")
    MATSIGENKA = "matsigenka", pgettext_lazy("language", "Matsigenka")
    YINE = "yine", pgettext_lazy("language", "Yine")
    SHIPIBO_KONIBO = "shipibo_konibo", pgettext_lazy("language", "Shipibo-Konibo")
    KICHWA = "kichwa", pgettext_lazy("language", "Kichwa")
    OTHER_NATIVE = "other_native", pgettext_lazy("language", "Other native language")
    SIGN_LANGUAGE = "sign_language", pgettext_lazy("language", "Peruvian Sign Language")
    FOREIGN = "foreign", pgettext_lazy("language", "Foreign language")
    UNKNOWN = "unknown", pgettext_lazy("language", "Unknown")
