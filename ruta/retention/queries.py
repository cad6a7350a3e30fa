"""Reads of the retention app: the admin home's warning, the erasure page."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from ruta.accounts.models import Organisation
from ruta.accounts.roles import OrganisationKind
from ruta.retention.models import RetentionPolicy


def organisations_without_retention() -> list[str]:
    """Names of the organisations (donors aside) for which a retention period is off."""
    set_both = RetentionPolicy.objects.filter(closed_cases_months__isnull=False, participants_months__isnull=False)
    return list(Organisation.objects.exclude(Q(kind=OrganisationKind.DONOR) | Q(pk__in=set_both.values("pk")))
                .order_by("name").values_list("name", flat=True))


def retention_off_warning() -> str | None:
    """The admin home's warning while any organisation keeps identifying data for ever."""
    names = organisations_without_retention()
    if not names:
        return None
    shown = ", ".join(names[:5]) + ("…" if len(names) > 5 else "")
    return _("Retention is off for: %(names)s. Identifying data of closed cases and of participants of ended "
             "programmes is kept for ever until you set the periods under \"Retention periods\".") % {"names": shown}
