from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ruta.learning.models import Course, Lesson, Objective, Question, TestVersion


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("order", "code", "title_es", "active", "updated_at")
    list_display_links = ("code",)
    search_fields = ("code", "title_es", "title_en")


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("code", "course", "text_es")
    list_filter = ("course",)


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ("course", "order", "title_es")
    list_filter = ("course",)


@admin.register(TestVersion)
class TestVersionAdmin(admin.ModelAdmin):
    list_display = ("course", "number", "created_at", "used_at")
    readonly_fields = ("course", "number", "content_hash", "created_at", "used_at")


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    """A question of a used test version is shown read-only (the model refuses a change too)."""

    list_display = ("code", "version", "form", "kind", "objective", "confidence")
    list_filter = ("version__course", "form", "kind", "confidence")
    search_fields = ("code", "text_es", "text_en")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.version.used_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.version.used_at is not None:
            return False
        return super().has_delete_permission(request, obj)
