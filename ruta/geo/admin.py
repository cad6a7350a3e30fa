from django.contrib import admin

from ruta.geo.models import District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province")
    search_fields = ("code", "name")
    list_select_related = ("province",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # UBIGEO codes come from INEI, not from Ruta's users

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
