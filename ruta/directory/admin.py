from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ruta.directory.actions import mark_verified
from ruta.directory.models import Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "district", "national", "phones", "open_24h", "confidence", "verified_on", "active")
    list_filter = ("kind", "confidence", "active", "national", "open_24h", "district__province")
    search_fields = ("name", "address", "renipress_code", "district__name")
    list_select_related = ("district",)
    autocomplete_fields = ("district",)
    readonly_fields = ("renipress_code", "key", "updated_at")
    actions = ("mark_verified_today",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "offers", "active")}),
        (_("Where"), {"fields": ("national", "district", "address", ("latitude", "longitude"))}),
        (_("Contact"), {"fields": ("phones", "hours", "open_24h", "languages", "notes")}),
        (_("Source"), {"fields": ("source", "confidence", "verified_on", "renipress_code", "category", "key")}),
    )

    @admin.action(description=_("Mark as verified today"))
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        count = mark_verified(queryset, timezone.localdate())
        self.message_user(
            request,
            ngettext("%(count)d service marked as verified.", "%(count)d services marked as verified.", count)
            % {"count": count},
            messages.SUCCESS,
        )
