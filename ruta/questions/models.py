"""Anonymous questions from young people and their answers (docs/youth-site.md).

A question keeps no account, cookie, address or device identifier: only its text
(encrypted), the language, whether it had words of danger, a keyed hash of its reading code
and its dates. It is deleted 30 days after its answer is read, or 90 days after the last
thing that happened to it if never read (``tasks.delete_expired_questions``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.lib.fields import EncryptedTextField

DUE = timedelta(hours=48)
DUE_WITH_DANGER = timedelta(hours=24)
KEEP_AFTER_READING = timedelta(days=30)
KEEP_UNREAD = timedelta(days=90)
QUESTION_MAX = 2000
ANSWER_MAX = 4000


class Question(models.Model):
    text = EncryptedTextField(_("question"))
    language = models.CharField(_("language"), max_length=2, default="es")
    danger = models.BooleanField(_("words of danger"), default=False)
    code_hash = models.CharField(max_length=64, unique=True)
    asked_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    answer = EncryptedTextField(_("answer"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)
    passed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    delete_after = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-danger", "asked_at"]
        verbose_name = _("anonymous question")
        verbose_name_plural = _("anonymous questions")

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def overdue(self) -> bool:
        return not self.answered and timezone.now() > self.due_at


class PublishedAnswer(models.Model):
    """A question and its answer with identifying details edited out, shown on /preguntas/
    once a second person approves."""

    question_text = models.TextField(_("question, without identifying details"))
    answer_text = models.TextField(_("answer"))
    language = models.CharField(_("language"), max_length=2, default="es")
    source = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-proposed_at"]
        verbose_name = _("published answer")
        verbose_name_plural = _("published answers")

    def __str__(self) -> str:
        return self.question_text[:60]
