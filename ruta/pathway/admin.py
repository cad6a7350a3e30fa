from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ruta.pathway.models import Caution, Rule, RulesRelease


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ("order", "code", "institution", "deadline_hours", "confidence", "active", "updated_at")
    list_display_links = ("code",)
    list_filter = ("confidence", "institution", "active")
    search_fields = ("code", "title_es", "title_en", "legal_basis")
    fieldsets = (
        (None, {"fields": ("code", "order", "institution", "active")}),
        (_("When it applies"), {"fields": ("applies_when", "mandatory_when", "deadline_hours", "deadline_from")}),
        (_("Services shown"), {"fields": ("service_kinds", "service_offer")}),
        (_("Plain words (a 12-year-old must understand them)"),
         {"fields": ("title_es", "plain_es", "title_en", "plain_en")}),
        (_("For professionals: duties"), {"fields": ("professional_es", "professional_en")}),
        (_("Legal basis and source"), {"fields": ("legal_basis", "source", "confidence")}),
    )


@admin.register(Caution)
class CautionAdmin(SimpleHistoryAdmin):
    list_display = ("order", "code", "confidence", "active", "updated_at")
    list_display_links = ("code",)
    list_filter = ("confidence", "active")
    fields = ("code", "order", "active", "applies_when", "text_es", "young_es", "text_en", "young_en", "legal_basis",
              "source", "confidence")


@admin.register(RulesRelease)
class RulesReleaseAdmin(admin.ModelAdmin):
    list_display = ("label", "created_at")
