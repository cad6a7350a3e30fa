from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    default = True
    name = "ruta.retention"
    label = "retention"
    verbose_name = _("Retention and erasure")

    def ready(self) -> None:
        from ruta.accounts.admin_site import register_index_warning
        from ruta.retention.queries import retention_off_warning

        register_index_warning(retention_off_warning)
