from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.accounts.roles import TWO_FACTOR_ROLES, OrganisationKind, Role
from ruta.geo.codes import MADRE_DE_DIOS


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, verbose_name=_("district"), related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", verbose_name=_("organisation"),
        null=True,  # only for accounts created with createsuperuser before an organisation exists
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.is_superuser and not self.role:  # made by `createsuperuser`
            self.role = Role.ADMIN
        # Only administrators reach Django's admin (which holds no case data).
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def needs_two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES

    @property
    def department_code(self) -> str:
        """The UBIGEO department of the user's organisation (Madre de Dios without one): the
        department whose districts the user's forms offer first."""
        if self.organisation is None:
            return MADRE_DE_DIOS
        return self.organisation.district_id[:2]
