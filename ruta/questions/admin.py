from __future__ import annotations

from django.contrib import admin

from ruta.questions.models import PublishedAnswer


@admin.register(PublishedAnswer)
class PublishedAnswerAdmin(admin.ModelAdmin):
    """Published answers can be corrected or withdrawn here; the questions themselves are not in the admin."""

    list_display = ("question_text", "language", "proposed_at", "approved_at")
    list_filter = ("language",)
    fields = ("question_text", "answer_text", "language")
