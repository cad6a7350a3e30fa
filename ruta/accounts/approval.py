"""Four eyes on every account that reaches case content.

An administrator grants a confidential role (``APPROVAL_ROLES``) or resets such an account;
the account is then inactive, with no password anyone knows, until a case supervisor of the
same organisation — another person — approves it. On approval the person gets a single-use
set-password link by e-mail and enrols their own second factor. Every step is in the access
log, which supervisors read on the account events page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ruta.accounts import policy
from ruta.accounts.links import LINK_VALID, set_password_url
from ruta.accounts.models import AccountApproval, ApprovalDecision, ApprovalReason, User
from ruta.accounts.roles import APPROVAL_ROLES, Role
from ruta.audit.actions import record_access

logger = logging.getLogger(__name__)

# Reasons after which nobody but the person may know the password: it is made unusable.
_NEW_PASSWORD = frozenset({ApprovalReason.CREATED, ApprovalReason.ROLE_CHANGE, ApprovalReason.PASSWORD_RESET})


class ApprovalError(Exception):
    """The rule of four eyes refused the change; the message is for the user."""


def needs_approval(role: str) -> bool:
    return role in APPROVAL_ROLES


def grants_confidential_access(before: dict[str, Any] | None, user: User) -> ApprovalReason | None:
    """Why saving ``user`` (``before``: its stored role, organisation and activity, or None
    for a new account) needs a supervisor's approval, if it does."""
    if not needs_approval(user.role):
        return None
    if before is None:
        return ApprovalReason.CREATED
    if before["role"] != user.role or before["organisation_id"] != user.organisation_id:
        return ApprovalReason.ROLE_CHANGE
    if user.is_active and not before["is_active"]:
        return ApprovalReason.REACTIVATED
    return None


@transaction.atomic
def request_approval(actor: Any, user: User, reason: str) -> AccountApproval:
    """Make ``user`` inactive until a supervisor approves; for a new grant or a password reset
    the password becomes unusable, so whoever granted it cannot log in as the person."""
    if reason in _NEW_PASSWORD:
        user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    now = timezone.now()
    approval = AccountApproval.objects.filter(user=user, decision=ApprovalDecision.PENDING).first()
    if approval is None:
        approval = AccountApproval.objects.create(user=user, role=user.role, reason=reason,
                                                  requested_by=_person(actor), requested_at=now)
    else:  # a later change replaces the one waiting: its author is the one who may not approve
        AccountApproval.objects.filter(pk=approval.pk).update(
            role=user.role, reason=reason, requested_by=_person(actor), requested_at=now)
        approval.refresh_from_db()
    record_access(actor, "request_account_approval", user, detail={"reason": reason, "role": user.role})
    org_id, username, role = user.organisation_id, user.username, user.role
    if org_id is not None:
        transaction.on_commit(lambda: _safely(notify_supervisors, org_id, username, role))
    return approval


@transaction.atomic
def approve_account(actor: Any, approval: AccountApproval) -> None:
    _decide(actor, approval, ApprovalDecision.APPROVED)
    user = approval.user
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    record_access(actor, "approve_account", user, detail={"reason": approval.reason, "role": approval.role})
    transaction.on_commit(lambda: _safely(send_approval_notice, user))


@transaction.atomic
def reject_account(actor: Any, approval: AccountApproval) -> None:
    _decide(actor, approval, ApprovalDecision.REJECTED)
    record_access(actor, "reject_account", approval.user,
                  detail={"reason": approval.reason, "role": approval.role})


def _decide(actor: Any, approval: AccountApproval, decision: str) -> None:
    if not policy.can_decide_approval(actor, approval):
        raise ApprovalError(_("An account is approved by a case supervisor of its organisation, another "
                              "person than the one who created or changed it."))
    n = AccountApproval.objects.filter(pk=approval.pk, decision=ApprovalDecision.PENDING).update(
        decision=decision, decided_by=actor, decided_at=timezone.now())
    if not n:
        raise ApprovalError(_("This account was already approved or rejected."))


@transaction.atomic
def record_demo_approval(user: User) -> None:
    """Demo mode only (``load_demo``): the seeded accounts are approved by no one, and say so."""
    if AccountApproval.objects.filter(user=user).exists():
        return
    AccountApproval.objects.create(user=user, role=user.role, reason=ApprovalReason.DEMO,
                                   decision=ApprovalDecision.APPROVED, decided_at=timezone.now())
    record_access(None, "approve_account", user, detail={"reason": ApprovalReason.DEMO, "role": user.role})


@transaction.atomic
def create_first_supervisor(organisation: Any, *, username: str, email: str) -> User:
    """The organisation's first case supervisor, created on the server (nobody could approve
    it). Active with no password: the person sets one through the link. Run again for the same
    person while they have not set a password, it only makes a new link possible."""
    supervisors = User.objects.filter(organisation=organisation, role=Role.CASE_SUPERVISOR, is_active=True)
    if supervisors.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).exists():
        raise ApprovalError(_("This organisation already has an active case supervisor: new case accounts "
                              "are created by an administrator and approved by that supervisor."))
    validate_email(email)
    User.username_validator(username)
    user = User.objects.filter(username=username).first()
    if user is not None:
        if not (user.organisation_id == organisation.pk and user.role == Role.CASE_SUPERVISOR
                and not user.has_usable_password()):
            raise ApprovalError(_("That username is taken."))
        user.email, user.is_active = email, True
        user.save(update_fields=["email", "is_active"])
        # Nobody else could approve what waits (no active supervisor): the server decides.
        AccountApproval.objects.filter(user=user, decision=ApprovalDecision.PENDING).update(
            decision=ApprovalDecision.APPROVED, decided_at=timezone.now())
        record_access(None, "create_first_supervisor", user, detail={"role": user.role, "again": True})
        return user
    user = User(username=username, email=email, organisation=organisation, role=Role.CASE_SUPERVISOR)
    user.set_unusable_password()
    user.save()
    AccountApproval.objects.create(user=user, role=user.role, reason=ApprovalReason.FIRST_SUPERVISOR,
                                   decision=ApprovalDecision.APPROVED, decided_at=timezone.now())
    record_access(None, "create_first_supervisor", user, detail={"role": user.role})
    return user


@transaction.atomic
def set_own_password(form: Any) -> User:
    """The person chose their password through the link (a ``SetPasswordForm``, already valid)."""
    user: User = form.save()
    record_access(user, "set_own_password", user)
    return user


# Apps that give people work register a check of what must be handed over before someone
# leaves a confidential role (cases: their open cases). Each returns a message, or None.
HandoverCheck = Callable[[User], "str | None"]
_handover_checks: list[HandoverCheck] = []


def register_handover_check(check: HandoverCheck) -> None:
    if check not in _handover_checks:
        _handover_checks.append(check)


def handover_blockers(user: User) -> list[str]:
    return [m for check in _handover_checks if (m := check(user))]


def notify_supervisors(organisation_id: int, username: str, role: str) -> None:
    """Tell the organisation's supervisors an account waits for them: username and role only."""
    to = list(User.objects.filter(organisation_id=organisation_id, role=Role.CASE_SUPERVISOR, is_active=True)
              .exclude(email="").exclude(username=username).values_list("email", flat=True))
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ruta: an account waits for your approval")
        body = "\n".join([
            _("The account %(username)s (%(role)s) was created or changed and waits for a case supervisor's "
              "approval before it can log in.") % {"username": username, "role": Role(role).label},
            "",
            settings.SITE_URL + reverse("accounts:pending"),
        ])
    send_mail(subject, body, None, to)


def send_approval_notice(user: User) -> None:
    """The approved person's next step: a set-password link, or just a note that they may log in."""
    if not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if user.has_usable_password():
            subject = _("Ruta: your account was approved")
            body = _("Your account was approved. Log in and set up two-step login again if Ruta asks you to.")
            body += "\n\n" + settings.SITE_URL + reverse("accounts:login")
        else:
            subject = _("Ruta: set your password")
            body = "\n".join([
                _("Your Ruta account was approved. Choose your password with this link; it works once, for "
                  "%(hours)d hours. Then set up two-step login with your phone.") % {
                    "hours": int(LINK_VALID.total_seconds() // 3600)},
                "",
                set_password_url(user),
                "",
                _("If you did not expect this message, tell your case supervisor."),
            ])
    send_mail(subject, body, None, [user.email])


def _safely(send: Callable[..., None], *args: Any) -> None:
    """The decision is saved already: a mail server that is down must not turn it into an error
    page. The log says which kind of e-mail failed, never to whom."""
    try:
        send(*args)
    except Exception:  # noqa: BLE001
        logger.warning("could not send the %s e-mail", send.__name__)


def _person(actor: Any) -> User | None:
    return actor if getattr(actor, "pk", None) else None
