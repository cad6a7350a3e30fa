"""State changes of anonymous questions: atomic, and audited where staff read or act."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record_access
from ruta.questions.codes import code_hash, new_code
from ruta.questions.danger import signals_danger
from ruta.questions.models import (
    DUE,
    DUE_WITH_DANGER,
    KEEP_AFTER_READING,
    KEEP_UNREAD,
    PublishedAnswer,
    Question,
)
from ruta.questions.policy import is_counsellor, may_approve


class QuestionActionError(Exception):
    pass


@dataclass(frozen=True)
class Asked:
    code: str
    danger: bool


def ask_question(text: str, language: str) -> Asked:
    """Store an anonymous question; the code is returned once and never stored."""
    now = timezone.now()
    danger = signals_danger(text)
    for _attempt in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                Question.objects.create(
                    text=text, language=language, danger=danger, code_hash=code_hash(code), asked_at=now,
                    due_at=now + (DUE_WITH_DANGER if danger else DUE), delete_after=now + KEEP_UNREAD)
        except IntegrityError:
            continue  # the same three words twice: draw again
        return Asked(code=code, danger=danger)
    raise QuestionActionError(_("The question could not be saved. Try again."))


def find_by_code(code: str) -> Question | None:
    return Question.objects.filter(code_hash=code_hash(code)).first()


@transaction.atomic
def mark_read(question: Question) -> None:
    """The asker read the answer: it is deleted 30 days from the first reading."""
    if question.answered_at is None or question.read_at is not None:
        return
    now = timezone.now()
    Question.objects.filter(pk=question.pk, read_at__isnull=True).update(
        read_at=now, delete_after=now + KEEP_AFTER_READING)


def open_question(actor: User, question: Question) -> None:
    record_access(actor, "question.open", question)


@transaction.atomic
def answer_question(actor: User, question: Question, answer: str) -> None:
    if not is_counsellor(actor):
        raise QuestionActionError(_("Only counsellors answer questions."))
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.read_at is not None:
        raise QuestionActionError(_("The answer was already read: it can no longer be changed."))
    now = timezone.now()
    locked.answer, locked.answered_at, locked.answered_by = answer, now, actor
    locked.delete_after = now + KEEP_UNREAD
    locked.save(update_fields=["answer", "answered_at", "answered_by", "delete_after"])
    record_access(actor, "question.answer", locked)


@transaction.atomic
def pass_to_supervisor(actor: User, question: Question) -> None:
    """The question reveals a minor in danger: case supervisors see it from now on."""
    if not is_counsellor(actor):
        raise QuestionActionError(_("Only counsellors pass questions on."))
    updated = Question.objects.filter(pk=question.pk, passed_at__isnull=True).update(
        passed_at=timezone.now(), passed_by=actor)
    if not updated:
        raise QuestionActionError(_("This question was already passed to a case supervisor."))
    record_access(actor, "question.pass_to_supervisor", question)


@transaction.atomic
def propose_publication(actor: User, question: Question, question_text: str, answer_text: str) -> PublishedAnswer:
    if not is_counsellor(actor):
        raise QuestionActionError(_("Only counsellors propose answers for publication."))
    if question.answered_at is None:
        raise QuestionActionError(_("Answer the question before proposing it for publication."))
    proposal = PublishedAnswer.objects.create(question_text=question_text, answer_text=answer_text,
                                              language=question.language, source=question, proposed_by=actor)
    record_access(actor, "question.propose_publication", question)
    return proposal


@transaction.atomic
def approve_publication(actor: User, proposal: PublishedAnswer) -> None:
    locked = PublishedAnswer.objects.select_for_update().get(pk=proposal.pk)
    if not may_approve(actor, locked):
        raise QuestionActionError(_("A second person approves: not the one who proposed it."))
    locked.approved_by, locked.approved_at = actor, timezone.now()
    locked.save(update_fields=["approved_by", "approved_at"])
    record_access(actor, "question.approve_publication", object_type="questions.publishedanswer",
                  object_id=locked.pk)


def delete_expired(now: object = None) -> int:
    moment = now or timezone.now()
    deleted, _rows = Question.objects.filter(delete_after__lte=moment).delete()
    return deleted
