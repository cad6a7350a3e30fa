"""Who may see and do what with cases: the one place for these rules.

A case worker sees the cases they own or are assigned to; a case supervisor sees every
case of their organisation. Nobody else sees that a case exists: views answer 404, both
for the other roles (``staff_view(..., deny=404)``) and for cases out of reach
(:func:`get_case_for_user`).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import any_staff, organisation_id_of
from ruta.accounts.roles import Role
from ruta.cases.models import ACTIVE, Case, CaseAssignment, Referral


def works_on_cases(user: User) -> bool:
    return bool(any_staff(user) and user.role in (Role.CASEWORKER, Role.CASE_SUPERVISOR) and user.organisation_id)


def is_case_supervisor(user: User) -> bool:
    return bool(any_staff(user) and user.role == Role.CASE_SUPERVISOR and user.organisation_id)


def is_caseworker(user: User) -> bool:
    return bool(any_staff(user) and user.role == Role.CASEWORKER and user.organisation_id)


def visible_cases(user: User) -> QuerySet[Case]:
    if is_case_supervisor(user):
        return Case.objects.filter(organisation_id=organisation_id_of(user))
    if is_caseworker(user):
        # Owned or assigned, as one list of ids: "owner = … OR id IN (…)" would have the database
        # read every case of the organisation to test the OR (hundreds of milliseconds at 1,000,000).
        owned = Case.objects.filter(owner=user).values("id")
        assigned = CaseAssignment.objects.filter(user=user).values("case_id")
        return Case.objects.filter(id__in=owned.union(assigned), organisation_id=organisation_id_of(user))
    return Case.objects.none()


def visible_active_cases(user: User) -> QuerySet[Case]:
    """The active cases among ``visible_cases``; a case worker's read as ids through the owner and
    assignment indexes (a few hundred), not picked out of the organisation's active cases."""
    if is_caseworker(user):
        return Case.objects.filter(id__in=_open_case_ids(user))
    return visible_cases(user).filter(**ACTIVE)


def visible_referrals(user: User, *, of_active_cases: bool = False) -> QuerySet[Referral]:
    """Referrals of the cases the user sees; ``of_active_cases`` narrows a case worker's to open
    cases (where every pending referral is), which spares reading those of closed ones."""
    if is_case_supervisor(user):
        return Referral.objects.filter(organisation_id=organisation_id_of(user))
    if is_caseworker(user):
        if of_active_cases:
            # A case worker has a few hundred open cases: their ids, read through the owner and
            # assignment indexes, let the database walk referrals case by case.
            return Referral.objects.filter(case_id__in=_open_case_ids(user))
        return Referral.objects.filter(case_id__in=visible_cases(user).values("id"))
    return Referral.objects.none()


def _open_case_ids(user: User) -> list[int]:
    mine = Case.objects.filter(owner=user, organisation_id=organisation_id_of(user), **ACTIVE)
    assigned = Case.objects.filter(assignments__user=user, organisation_id=organisation_id_of(user), **ACTIVE)
    return sorted(set(mine.values_list("id", flat=True)) | set(assigned.values_list("id", flat=True)))


def get_case_for_user(user: User, code: str) -> Case:
    """The case with this code if the user may see it; 404 otherwise (existence is secret)."""
    case = visible_cases(user).select_related("survivor", "owner").filter(code=code).first()
    if case is None:
        raise Http404
    return case


def can_see_names(user: User) -> bool:
    """Who may see survivors' names in lists and search by them: the case roles, who see them on
    the case page anyway. Anyone else never learns a case exists."""
    return works_on_cases(user)


def can_override_consent(user: User, case: Case) -> bool:
    return bool(is_case_supervisor(user) and case.organisation_id == user.organisation_id)


def can_decide_closure(user: User, case: Case) -> bool:
    return can_override_consent(user, case)


def can_decide_erasure(user: User, case: Case) -> bool:
    return can_override_consent(user, case)


def can_reassign_from(actor: User, user: User) -> bool:
    """A supervisor hands over the open cases of a case worker (or supervisor) of their organisation."""
    return bool(is_case_supervisor(actor) and user.organisation_id == actor.organisation_id
                and user.role in (Role.CASEWORKER, Role.CASE_SUPERVISOR))


def can_assign(user: User, case: Case) -> bool:
    return can_override_consent(user, case)


