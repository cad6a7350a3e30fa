"""Who approves and lists person-level exports: for case exports the case supervisors, for
programme records the coordinators, always of the same organisation. Nobody approves their
own export."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import role_in
from ruta.accounts.roles import Role
from ruta.exports.models import Kind, PersonExport

APPROVERS: dict[str, Role] = {Kind.INCIDENT_RECORDER: Role.CASE_SUPERVISOR, Kind.PROGRAMME_RECORDS: Role.COORDINATOR}
REQUESTERS: dict[str, frozenset[str]] = {
    Kind.INCIDENT_RECORDER: frozenset({Role.CASE_SUPERVISOR}),
    Kind.PROGRAMME_RECORDS: frozenset({Role.COORDINATOR, Role.ME_OFFICER}),
}

can_see_exports = role_in(Role.CASE_SUPERVISOR, Role.COORDINATOR, Role.ME_OFFICER)


def kinds_overseen_by(user: User) -> list[str]:
    return [kind for kind, role in APPROVERS.items() if user.role == role]


def exports_for(user: User) -> QuerySet[PersonExport]:
    """The exports a user sees: those of the kinds they oversee in their organisation, and their own."""
    from django.db.models import Q

    return PersonExport.objects.filter(
        Q(organisation_id=user.organisation_id, kind__in=kinds_overseen_by(user)) | Q(requested_by=user))


def may_decide(user: User, export: PersonExport) -> bool:
    return (export.status == PersonExport.Status.WAITING and user.pk != export.requested_by_id
            and user.organisation_id == export.organisation_id and APPROVERS.get(export.kind) == user.role)


def get_export_for_user(user: User, pk: int) -> PersonExport:
    export = exports_for(user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export
