from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from ruta.accounts.models import Organisation, User
from ruta.audit.actions import record_access


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("district",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("organisation", "role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "organisation", "role", "password1", "password2")}),
    )

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).values_list("role", flat=True).first() if change else None
        if change and obj.pk == request.user.pk and before and before != obj.role:
            # Nobody gives themselves another role, least of all one that sees cases.
            messages.error(request, _("You cannot change your own role; ask another administrator."))
            obj.role = before
        super().save_model(request, obj, form, change)
        if before is None:
            record_access(request.user, "create_user", obj, detail={"role": obj.role})
        elif before != obj.role:
            record_access(request.user, "change_role", obj, detail={"from": before, "to": obj.role})

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:  # noqa: A002
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record_access(request.user, "set_password", object_type="accounts.user", object_id=id)
        return response



class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators can only remove a device (a lost phone): the worker enrols a new one at
    the next login. Adding or editing one would let an administrator hold someone's second
    factor. Every removal is written to the access log."""

    list_display = ("user", "name", "confirmed", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        record_access(request.user, "reset_second_factor", obj.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        for device in queryset.select_related("user"):
            record_access(request.user, "reset_second_factor", device.user)
        super().delete_queryset(request, queryset)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
