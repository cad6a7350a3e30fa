"""The administrator's user forms: no password for a confidential role, and no one leaves
case work with open cases in their hands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ruta.accounts.approval import handover_blockers, needs_approval
from ruta.accounts.models import User


class AccountCreationForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new account has no password from the administrator: a case role gets a set-password
    link once a supervisor approves it; any other role gets a password on the next page."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "organisation", "role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].help_text = _(
            "Case roles get no password from you: the account waits until a case supervisor of its "
            "organisation approves it, then the person sets their own password through a link sent to "
            "this e-mail address. For other roles, set a password on the next page.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if needs_approval(data.get("role", "")):
            if not data.get("email"):
                self.add_error("email", _("A case role needs an e-mail address: the set-password link goes there."))
            if not data.get("organisation"):
                self.add_error("organisation", _("A case role belongs to an organisation."))
        return data

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class AccountChangeForm(UserChangeForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user: User = self.instance  # still as stored: the form's values are applied after clean()
        if user.pk and needs_approval(user.role) and user.is_active:
            leaves = (
                ("is_active" in data and not data["is_active"])
                or ("role" in data and not needs_approval(data["role"]))
                or ("organisation" in data and getattr(data["organisation"], "pk", None) != user.organisation_id)
            )
            if leaves and (blockers := handover_blockers(user)):
                raise ValidationError(blockers)
        return data
