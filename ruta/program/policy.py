"""Who may do what in programme monitoring: the one place for this app's access rules.

- Facilitators record activities, attendance, participants and test sheets of their own
  organisation's programmes, and see the activities they facilitate or recorded.
- Coordinators and M&E officers see and record everything in their organisation's
  programmes, and the dashboard with exact counts.
- Names are for the people who meet participants: facilitators and coordinators. The M&E
  officer works with codes and de-identified figures and never sees a name
  (docs/security.md): pages show them codes, their search matches codes only, and the
  duplicates screen (which compares names) is the coordinator's alone.
- Donors see the dashboard of the programmes they fund, with counts below 5 suppressed,
  and never a person (no participant, activity or sheet screen).
- Case workers and case supervisors have no business here: programme data and case data
  stay apart. Administrators manage accounts, not programme data: they see nothing here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ruta.accounts.models import User
from ruta.accounts.policy import any_staff, role_in
from ruta.accounts.roles import Role
from ruta.program.models import Activity, Programme

RECORDING_ROLES = frozenset({Role.FACILITATOR, Role.COORDINATOR, Role.ME_OFFICER})
FULL_VIEW_ROLES = frozenset({Role.COORDINATOR, Role.ME_OFFICER})
DASHBOARD_ROLES = frozenset({Role.COORDINATOR, Role.ME_OFFICER, Role.DONOR})

can_record = role_in(*RECORDING_ROLES)
can_see_dashboard = role_in(*DASHBOARD_ROLES)
can_see_people = role_in(*FULL_VIEW_ROLES)
can_use_program = role_in(*(RECORDING_ROLES | DASHBOARD_ROLES))
NAME_ROLES = frozenset({Role.FACILITATOR, Role.COORDINATOR})
sees_names = role_in(*NAME_ROLES)
# Programme settings and targets: the people who answer for the monitoring framework.
can_manage_programme = role_in(*FULL_VIEW_ROLES)


def sees_suppressed_counts(user: User) -> bool:
    """Donors (and anyone not in the full-view roles) get counts below 5 suppressed."""
    return not (any_staff(user) and user.role in FULL_VIEW_ROLES)


def programmes_for(user: User) -> QuerySet[Programme]:
    if not can_use_program(user) or user.organisation_id is None:
        return Programme.objects.none()
    if user.role == Role.DONOR:
        return Programme.objects.filter(donor_organisation_id=user.organisation_id)
    return Programme.objects.filter(organisation_id=user.organisation_id)


def get_programme_for_user(user: User, pk: int) -> Programme:
    return get_object_or_404(programmes_for(user), pk=pk)


def recording_programmes_for(user: User) -> QuerySet[Programme]:
    if not can_record(user):
        return Programme.objects.none()
    return programmes_for(user)


def activities_for(user: User) -> QuerySet[Activity]:
    """Activities a user may open: all of their programmes' for coordinators and M&E,
    the ones they facilitate or recorded for facilitators, none for anyone else."""
    if not can_record(user):
        return Activity.objects.none()
    qs = Activity.objects.filter(programme__in=recording_programmes_for(user))
    if user.role == Role.FACILITATOR:
        qs = qs.filter(Q(facilitators=user) | Q(created_by=user)).distinct()
    return qs


def get_activity_for_user(user: User, pk: int) -> Activity:
    activity = activities_for(user).filter(pk=pk).select_related("programme", "district").first()
    if activity is None:
        raise Http404
    return activity


# --- imports, duplicates and exports (views_io) -----------------------------------------
# Bulk changes and person-level files are for the people who answer for the data: the
# coordinator and the M&E officer of the programme's organisation. Facilitators record one
# activity at a time; donors get the donor report, never person-level rows. Duplicates are
# found and judged by name, so only the coordinator handles them.
IO_ROLES = frozenset({Role.COORDINATOR, Role.ME_OFFICER})
can_import = role_in(*IO_ROLES)
can_merge_duplicates = role_in(Role.COORDINATOR)
can_export_records = role_in(*IO_ROLES)


def get_io_programme_for_user(user: User, pk: int) -> Programme:
    """A programme of the user's organisation on which they may import, merge and export."""
    if not can_import(user):
        raise Http404
    return get_object_or_404(recording_programmes_for(user), pk=pk)
