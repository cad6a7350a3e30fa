from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from ruta.accounts.admin_forms import AccountChangeForm, AccountCreationForm
from ruta.accounts.approval import grants_confidential_access, needs_approval, request_approval
from ruta.accounts.models import AccountApproval, ApprovalDecision, ApprovalReason, Organisation, User
from ruta.audit.actions import record_access


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "district")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("district",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    add_form_template = "admin/change_form.html"
    list_display = ("username", "role", "organisation", "is_active", "waiting_for_approval", "last_login")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("organisation", "role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "organisation", "role")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        pending = AccountApproval.objects.filter(user=OuterRef("pk"), decision=ApprovalDecision.PENDING)
        return super().get_queryset(request).annotate(awaiting_approval=Exists(pending))

    @admin.display(boolean=True, description=_("Waiting for approval"), ordering="awaiting_approval")
    def waiting_for_approval(self, obj: Any) -> bool:
        return bool(getattr(obj, "awaiting_approval", False))

    def save_model(self, request: HttpRequest, obj: User, form: object, change: bool) -> None:
        before: dict[str, Any] | None = (
            User.objects.filter(pk=obj.pk).values("role", "organisation_id", "is_active").first()  # type: ignore[assignment]
            if change else None)
        if change and before and obj.pk == request.user.pk and before["role"] != obj.role:
            # Nobody gives themselves another role, least of all one that sees cases.
            messages.error(request, _("You cannot change your own role; ask another administrator."))
            obj.role = before["role"]
        reason = grants_confidential_access(before, obj)
        super().save_model(request, obj, form, change)
        if before is None:
            record_access(request.user, "create_user", obj, detail={"role": obj.role})
        elif before["role"] != obj.role:
            record_access(request.user, "change_role", obj, detail={"from": before["role"], "to": obj.role})
        if reason is not None:
            request_approval(request.user, obj, reason)
            messages.warning(request, _(
                "The account stays inactive until a case supervisor of its organisation approves it. Then "
                "the person gets a link by e-mail to set their own password."))

    @staticmethod
    def _needs_four_eyes(user: User | None) -> bool:
        return user is not None and needs_approval(user.role)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:  # noqa: A002
        user = self.get_object(request, unquote(id))
        if self._needs_four_eyes(user):
            return self._reset_case_account(request, user)  # type: ignore[arg-type]
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record_access(request.user, "set_password", object_type="accounts.user", object_id=id)
        return response

    def _reset_case_account(self, request: HttpRequest, user: User) -> HttpResponse:
        """No administrator sets the password of a case account: a reset leaves it inactive, with
        no usable password, until a supervisor approves it and the person sets a new one."""
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if request.method == "POST":
            record_access(request.user, "reset_password", user)
            request_approval(request.user, user, ApprovalReason.PASSWORD_RESET)
            messages.warning(request, _(
                "The password was reset. The account stays inactive until a case supervisor of its "
                "organisation approves it; then the person gets a link by e-mail to set a new password."))
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        context = {**self.admin_site.each_context(request), "title": _("Reset password"), "subject": user,
                   "opts": self.opts, "original": user}
        return TemplateResponse(request, "accounts/admin_reset_password.html", context)


class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators can only remove a device (a lost phone): the worker enrols a new one at
    the next login. Adding or editing one would let an administrator hold someone's second
    factor, so the key is never shown. Every removal is written to the access log; on a case
    account it also waits for a supervisor's approval."""

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
        _removed(request, obj.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        for device in queryset.select_related("user"):
            _removed(request, device.user)
        super().delete_queryset(request, queryset)


def _removed(request: HttpRequest, user: Any) -> None:
    record_access(request.user, "reset_second_factor", user)
    if needs_approval(user.role):
        request_approval(request.user, user, ApprovalReason.DEVICE_REMOVED)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
