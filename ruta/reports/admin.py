"""The DHIS2 codes of a programme's figures, set by an administrator (docs/statistics.md)."""

from __future__ import annotations

from django.contrib import admin

from ruta.reports.models import Dhis2Code


@admin.register(Dhis2Code)
class Dhis2CodeAdmin(admin.ModelAdmin[Dhis2Code]):
    list_display = ("programme", "kind", "key", "uid")
    list_filter = ("programme", "kind")
    search_fields = ("key", "uid")
