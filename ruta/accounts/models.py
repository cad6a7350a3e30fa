from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.accounts.roles import TWO_FACTOR_ROLES, OrganisationKind, Role
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.lib.fields import EncryptedTextField


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


class ApprovalReason(models.TextChoices):
    CREATED = "created", _("Account created")
    ROLE_CHANGE = "role_change", _("Role or organisation changed")
    REACTIVATED = "reactivated", _("Account reactivated")
    PASSWORD_RESET = "password_reset", _("Password reset")
    DEVICE_REMOVED = "device_removed", _("Second-step device removed")
    FIRST_SUPERVISOR = "first_supervisor", _("First supervisor, created on the server")
    DEMO = "demo", _("Demo account")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AccountApproval(models.Model):
    """An administrator's grant of a confidential role (or a reset of such an account), and
    the decision of a case supervisor of the same organisation, another person."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ApprovalReason.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=10, choices=ApprovalDecision.choices,
                                default=ApprovalDecision.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("account approval")
        verbose_name_plural = _("account approvals")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(decision="pending"),
                                    name="account_one_pending_approval"),
        ]


class KeptForm(models.Model):
    """A staff form posted after its session ended, kept encrypted for its user (ruta/accounts/keep.py).

    Given back only to the same user after a full login, into the same form, never submitted;
    deleted once given back, and by the schedule when it expires (an hour).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    path = models.CharField(_("form"), max_length=300)
    data = EncryptedTextField(_("content"))
    created_at = models.DateTimeField(_("kept at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kept form")
        verbose_name_plural = _("kept forms")
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="kept_form_one_per_user_and_form")]
