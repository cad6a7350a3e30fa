from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "ruta.accounts"
    label = "accounts"


class RutaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ruta.accounts.admin_site.RutaAdminSite"
