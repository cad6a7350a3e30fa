"""Who may ask for and decide on a participant's erasure: the one place for these rules.

A coordinator of the programme's organisation asks (coordinators are the people who know
participants by name); a coordinator or M&E officer of the same organisation, never the person
who asked, decides. Nobody else sees that a request exists: another organisation's ids are 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import role_in
from ruta.accounts.roles import Role
from ruta.program.models import Participant
from ruta.retention.models import ParticipantErasure

can_request = role_in(Role.COORDINATOR)
can_decide = role_in(Role.COORDINATOR, Role.ME_OFFICER)
can_see_erasures = can_decide


def may_request(user: User, participant: Participant) -> bool:
    return bool(can_request(user) and user.organisation_id is not None
                and participant.programme.organisation_id == user.organisation_id)


def may_decide(user: User, req: ParticipantErasure) -> bool:
    return bool(can_decide(user) and user.organisation_id is not None
                and req.organisation_id == user.organisation_id
                and req.participant.programme.organisation_id == user.organisation_id)


def erasures_for(user: User) -> QuerySet[ParticipantErasure]:
    if not can_see_erasures(user) or user.organisation_id is None:
        return ParticipantErasure.objects.none()
    return ParticipantErasure.objects.filter(organisation_id=user.organisation_id,
                                             participant__programme__organisation_id=user.organisation_id)


def get_erasure_for_user(user: User, pk: int) -> ParticipantErasure:
    req = erasures_for(user).select_related("participant__programme").filter(pk=pk).first()
    if req is None:
        raise Http404
    return req


def find_participant_for_user(user: User, programme_id: int, code: str) -> Participant | None:
    """The participant with this code in one of the user's organisation's programmes (the live
    record, not one merged into another), or None."""
    if not can_request(user) or user.organisation_id is None:
        return None
    return (Participant.objects.select_related("programme")
            .filter(programme_id=programme_id, programme__organisation_id=user.organisation_id, code=code,
                    merged_into__isnull=True).first())
