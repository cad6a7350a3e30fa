"""Retention periods, set by the administrator per organisation (every change audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.audit.actions import record_access
from ruta.retention.models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "closed_cases_months", "participants_months", "updated_at")
    fields = ("organisation", "closed_cases_months", "participants_months")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("organisation",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: RetentionPolicy, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_access(request.user, "retention.period_set", obj, detail={
            "organisation": obj.organisation_id, "closed_cases_months": obj.closed_cases_months,
            "participants_months": obj.participants_months})

    def delete_model(self, request: HttpRequest, obj: RetentionPolicy) -> None:
        record_access(request.user, "retention.period_removed", obj, detail={"organisation": obj.organisation_id})
        super().delete_model(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # blank periods turn retention off; deleting would hide the row that says so
