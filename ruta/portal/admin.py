from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ruta.portal.models import Page


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ("slug", "language", "title", "reviewer_name", "reviewed_on", "updated_at")
    list_filter = ("language",)
    search_fields = ("slug", "title", "body")
    readonly_fields = ("slug", "language")
    fields = ("slug", "language", "title", "summary", "body", "reviewer_name", "reviewed_on")
