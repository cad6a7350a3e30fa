from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "ruta.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class RutaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ruta.accounts.admin_site.RutaAdminSite"
