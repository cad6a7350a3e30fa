"""The public pages' text, one row per page and language, edited in the admin with history.
The files in ``content/`` are the first version (``reference.load``); the admin's edits win."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.portal.markup import MarkupError, render


class SiteLanguage(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    QUECHUA = "qu", _("Quechua")


class Page(models.Model):
    slug = models.SlugField(_("address"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=SiteLanguage.choices)
    title = models.CharField(_("heading"), max_length=120)
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    body = models.TextField(
        _("text"),
        help_text=_(
            "## heading, - list item, > source line, !! call-out, **bold**, [text](/address/) or [text](tel:100)."
        ),
    )
    reviewer_name = models.CharField(
        _("translation reviewed by"), max_length=120, blank=True,
        help_text=_("Quechua pages say “translation to be reviewed” until a reviewer and a date are recorded."),
    )
    reviewed_on = models.DateField(_("translation reviewed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="portal_page_slug_language")]
        ordering = ["slug", "language"]
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"

    def clean(self) -> None:
        try:
            render(self.body)
        except MarkupError as e:
            raise ValidationError({"body": str(e)}) from e
        if bool(self.reviewer_name.strip()) != bool(self.reviewed_on):
            raise ValidationError(_("Record both the reviewer's name and the date, or neither."))

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewer_name.strip() and self.reviewed_on)


class PageViewDay(models.Model):
    """How many times a public page was shown on a day: nothing about who (no address, cookie or
    identifier). Counted in memory and written at most once a minute (``ruta.portal.reach``)."""

    day = models.DateField()
    page = models.CharField(max_length=60)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "page"], name="portal_pageviewday_day_page")]
        ordering = ["-day", "page"]

    def __str__(self) -> str:
        return f"{self.day} {self.page}: {self.views}"
