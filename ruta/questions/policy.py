"""Who may do what with anonymous questions: the one place for these rules.

Counsellors (second factor, approved like the case roles) read and answer the questions.
A case supervisor sees only the questions a counsellor passed on (a minor in danger). A
published answer needs a second person: a counsellor or case supervisor other than the one
who proposed it. Everyone else: 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import any_staff
from ruta.accounts.roles import Role
from ruta.questions.models import PublishedAnswer, Question


def is_counsellor(user: User) -> bool:
    return bool(any_staff(user) and user.role == Role.COUNSELLOR)


def is_case_supervisor(user: User) -> bool:
    return bool(any_staff(user) and user.role == Role.CASE_SUPERVISOR)


def works_on_questions(user: User) -> bool:
    return is_counsellor(user) or is_case_supervisor(user)


def visible_questions(user: User) -> QuerySet[Question]:
    if is_counsellor(user):
        return Question.objects.all()
    if is_case_supervisor(user):
        return Question.objects.filter(passed_at__isnull=False)
    return Question.objects.none()


def get_question_for_user(user: User, pk: int) -> Question:
    question = visible_questions(user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def may_approve(user: User, proposal: PublishedAnswer) -> bool:
    return works_on_questions(user) and proposal.proposed_by_id != user.pk and proposal.approved_at is None
