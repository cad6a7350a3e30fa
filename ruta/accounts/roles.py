"""The roles of docs/architecture.md ("Who uses it") and the facts every app's policy builds on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    CASEWORKER = "caseworker", _("Case worker")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")
    ME_OFFICER = "me_officer", _("M&E officer")
    DONOR = "donor", _("Donor")
    COUNSELLOR = "counsellor", _("Counsellor")


# Whoever can see case content, or manage who can, logs in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.CASEWORKER, Role.CASE_SUPERVISOR, Role.COUNSELLOR})
# Roles that reach confidential content. An administrator grants them, a case supervisor of
# the same organisation approves them, and only the person sets the password (accounts/approval.py).
# A new confidential role (e.g. counsellor) joins with one line here.
APPROVAL_ROLES = frozenset({
    Role.CASEWORKER,
    Role.CASE_SUPERVISOR,
    Role.COUNSELLOR,  # reads young people's anonymous questions (ruta/questions)
})


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    SCHOOL = "school", _("School")
    COMMUNITY_ORG = "community_org", _("Community organisation")
    STATE = "state", _("State institution")
    DONOR = "donor", _("Donor")
