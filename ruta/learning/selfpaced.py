"""Self-paced courses: anyone takes a course without an account and without a cookie.

Starting a course draws a **progress code** (12 letters from ``CODE_ALPHABET``, 23 letters
without look-alikes: 23¹² ≈ 2⁵⁴ codes) that the learner writes down. The code travels only in
POSTed form fields, never in a URL or a log; the database keeps only its keyed hash
(``keyed_hash(code, PROGRESS_PURPOSE)``), under which the lessons read and the post-test
answers are stored. Resuming means typing the code again.

The post-test is the course's form B (:data:`SELF_FORM`) of the current test version, one
question per screen. A score of at least ``PASS_PERCENT`` (70 %) earns a certificate: the
learner types the name to print (encrypted at rest) and gets a PDF with a verification code
(another 12 letters, kept as a keyed hash and encrypted). The public check page shows the
course, the date and the name's initials only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.learning.actions import PASS_PERCENT, LearningActionError, check_choice
from ruta.learning.codes import Form
from ruta.learning.models import (
    CODE_ALPHABET,
    PROGRESS_CODE_LENGTH,
    VERIFY_CODE_LENGTH,
    Certificate,
    Course,
    Question,
    SelfAnswer,
    SelfLearner,
)
from ruta.lib.crypto import keyed_hash

SELF_FORM = Form.B
PROGRESS_PURPOSE = "learning.selfpaced.progress"
VERIFY_PURPOSE = "learning.selfpaced.verify"
NAME_MAX = 120


def new_code(length: int = PROGRESS_CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def show_code(code: str) -> str:
    """``ABCDEFGHJKMN`` → ``ABCD-EFGH-JKMN``: easier to copy by hand."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def clean_code(text: str, length: int) -> str | None:
    """The code as typed (any case, spaces or dashes), or None when it cannot be one."""
    code = "".join(ch for ch in text[:40].upper() if ch.isalnum())
    if len(code) != length or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def passes(correct: int, total: int) -> bool:
    """At least 70 %: integer arithmetic, no rounding up of 69.9 %."""
    return total > 0 and correct * 100 >= PASS_PERCENT * total


@transaction.atomic
def start(course: Course) -> tuple[SelfLearner, str]:
    """A new learner and their progress code (shown once; only its hash is stored)."""
    version = course.current_version()
    if version is None or not course.active:
        raise LearningActionError(_("This course has no test yet."))
    for _attempt in range(10):
        code = new_code()
        try:
            with transaction.atomic():
                learner = SelfLearner.objects.create(course=course, version=version, form=SELF_FORM,
                                                     code_hash=keyed_hash(code, PROGRESS_PURPOSE))
            return learner, code
        except IntegrityError:  # pragma: no cover - 2^54 codes
            continue
    raise LearningActionError(_("No free code: try again."))  # pragma: no cover


def find(course: Course, typed: str) -> SelfLearner | None:
    """The learner of this course with this code; another course's code finds nobody."""
    code = clean_code(typed, PROGRESS_CODE_LENGTH)
    if code is None:
        return None
    return SelfLearner.objects.filter(course=course, code_hash=keyed_hash(code, PROGRESS_PURPOSE)).first()


def mark_read(learner: SelfLearner, slug: str) -> None:
    with transaction.atomic():
        row = SelfLearner.objects.select_for_update().get(pk=learner.pk)
        if slug not in row.lessons_read and row.course.lessons.filter(slug=slug).exists():
            row.lessons_read = [*row.lessons_read, slug]
            row.save(update_fields=["lessons_read", "updated_at"])
            learner.lessons_read = row.lessons_read


def questions(learner: SelfLearner) -> list[Question]:
    return learner.version.form_questions(learner.form)


def answer(learner: SelfLearner, question_code: str, chosen: list[int]) -> None:
    """Save an answer; a repeated one keeps the first (a retried POST adds nothing)."""
    question = Question.objects.filter(version_id=learner.version_id, form=learner.form,
                                       code=question_code[:80]).first()
    if question is None:
        raise LearningActionError(_("Unknown question."))
    if SelfAnswer.objects.filter(learner=learner, question=question).exists():
        return  # the first answer is kept (a retried POST)
    chosen = check_choice(question, chosen)
    try:
        with transaction.atomic():
            SelfAnswer.objects.get_or_create(learner=learner, question=question,
                                             defaults={"chosen": chosen, "correct": question.is_correct(chosen)})
            SelfLearner.objects.filter(pk=learner.pk).update(updated_at=timezone.now())
    except IntegrityError:  # pragma: no cover - two identical POSTs at once
        pass


@dataclass
class Result:
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return self.correct * 100 // self.total if self.total else 0

    @property
    def passed(self) -> bool:
        return passes(self.correct, self.total)


def result(learner: SelfLearner) -> Result | None:
    """The post-test result once every question is answered, else None."""
    total = len(questions(learner))
    answers = list(learner.answers.filter(question__version_id=learner.version_id, question__form=learner.form))
    if total == 0 or len(answers) < total:
        return None
    return Result(sum(a.correct for a in answers), total)


@transaction.atomic
def retry(learner: SelfLearner) -> None:
    """Take the post-test again (only without a certificate)."""
    if Certificate.objects.filter(learner=learner).exists():
        raise LearningActionError(_("You already have your certificate."))
    learner.answers.all().delete()


def clean_name(text: str) -> str:
    name = " ".join(text.split())[:NAME_MAX]
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        raise LearningActionError(_("Write the name to print on the certificate."))
    return name


@transaction.atomic
def certify(learner: SelfLearner, name: str) -> tuple[Certificate, str]:
    """The learner's certificate and its verification code; refused below 70 %. A second
    request with another name changes the printed name and keeps the code."""
    outcome = result(learner)
    if outcome is None or not outcome.passed:
        raise LearningActionError(_("The certificate needs at least 70 % correct answers on the test."))
    name = clean_name(name)
    existing = Certificate.objects.select_for_update().filter(learner=learner).first()
    if existing is not None:
        existing.name = name
        existing.save(update_fields=["name"])
        return existing, existing.verify_code
    for _attempt in range(10):
        code = new_code(VERIFY_CODE_LENGTH)
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    learner=learner, course=learner.course, name=name, verify_code=code,
                    verify_hash=keyed_hash(code, VERIFY_PURPOSE), score=outcome.percent,
                    issued_on=timezone.localdate())
            return cert, code
        except IntegrityError:  # pragma: no cover
            continue
    raise LearningActionError(_("No free code: try again."))  # pragma: no cover


def verify(typed: str) -> Certificate | None:
    code = clean_code(typed, VERIFY_CODE_LENGTH)
    if code is None:
        return None
    return Certificate.objects.select_related("course").filter(verify_hash=keyed_hash(code, VERIFY_PURPOSE)).first()


def initials(name: str) -> str:
    """``María Quispe Huamán`` → ``M. Q. H.``: what the public check page shows."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())


IDLE_DAYS = 365


def delete_idle(now: dt.datetime | None = None) -> int:
    """Forget the progress of learners idle for a year (no lesson read, no answer) who have no
    certificate: nobody can be told apart by it, but nothing is kept longer than it serves.
    Certificates stay, so that they can still be checked."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=IDLE_DAYS)
    _total, rows = SelfLearner.objects.filter(updated_at__lt=cutoff, certificate__isnull=True).delete()
    return rows.get(SelfLearner._meta.label, 0)
