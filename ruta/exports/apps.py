from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    default = True
    name = "ruta.exports"
    label = "exports"
    verbose_name = _("Person-level exports")
