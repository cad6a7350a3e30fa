from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "ruta.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from ruta.accounts.signals import on_locked_out, on_logged_in

        user_locked_out.connect(on_locked_out, dispatch_uid="ruta.accounts.on_locked_out")
        user_logged_in.connect(on_logged_in, dispatch_uid="ruta.accounts.on_logged_in")


class RutaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ruta.accounts.admin_site.RutaAdminSite"
