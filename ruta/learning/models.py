"""Courses, their lessons and question bank, versioned tests, and live test sessions.

Stable names: ``Course`` (``code``), ``Objective`` (``code``), ``Question`` (``code``),
``TestVersion`` (course + ``number``). Content comes from the files in
``ruta/learning/content/`` (see :mod:`ruta.learning.loader`) and is editable in the admin,
with history.

A test version is **read-only once used** (``used_at`` set when a live session opens on it):
its questions can no longer be changed, so every recorded answer keeps meaning what it meant.
A changed question set loaded from the files then makes a new version.

Forms: each version has 10 questions on form A and 10 on form B, on the same objectives.
Half of a room takes A as pre-test and B as post-test, the other half the reverse, decided
by :func:`first_form` (a hash of the participant and the activity: the same person gets the
same split in the pre and the post session of one activity).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ruta.learning.codes import Form, QuestionKind, SeatState, SessionState
from ruta.lib.codes import Confidence
from ruta.lib.fields import EncryptedTextField
from ruta.program.models import Phase


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    groups = models.JSONField(_("stakeholder groups"), default=list)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title_es

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_es

    def current_version(self) -> TestVersion | None:
        return self.versions.order_by("-number").first()


class Objective(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_es = models.TextField(_("objective (Spanish)"))
    text_en = models.TextField(_("objective (English)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return self.code

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_es


class Lesson(models.Model):
    """A short lesson in both languages (Markdown, rendered and sanitised when shown). Lessons
    are grouped in units by their order (the course's files number them)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"))
    slug = models.SlugField(_("slug"), max_length=80)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_es = models.TextField(_("text (Spanish, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"))
    objectives = models.ManyToManyField(Objective, related_name="lessons", blank=True)
    sources = models.JSONField(_("sources"), default=list)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique")]

    def __str__(self) -> str:
        return self.title_es

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_es

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_es


class TestVersion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("first used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["course", "-number"]
        verbose_name = _("test version")
        verbose_name_plural = _("test versions")
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="test_version_unique")]

    __test__ = False  # not a pytest class

    def __str__(self) -> str:
        return f"{self.course.code} v{self.number}"

    @property
    def read_only(self) -> bool:
        return self.used_at is not None

    def form_questions(self, form: str) -> list[Question]:
        return list(self.questions.filter(form=form).select_related("objective").order_by("order"))


class Question(models.Model):
    version = models.ForeignKey(TestVersion, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(_("code"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"))
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="questions")
    form = models.CharField(_("form"), max_length=1, choices=Form.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    correct = models.JSONField(_("correct answers"))  # indices into the choices
    text_es = models.TextField(_("question (Spanish)"))
    text_en = models.TextField(_("question (English)"))
    choices_es = models.JSONField(_("choices (Spanish)"), default=list)
    choices_en = models.JSONField(_("choices (English)"), default=list)
    explanation_es = models.TextField(_("explanation (Spanish)"))
    explanation_en = models.TextField(_("explanation (English)"))
    source = models.CharField(_("source"), max_length=300)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "form", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and TestVersion.objects.filter(pk=self.version_id, used_at__isnull=False).exists():
            raise ValidationError(_("This test version has been used: its questions can no longer change."))
        super().save(*args, **kwargs)

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_es

    def explanation(self, language: str) -> str:
        return self.explanation_en if language == "en" else self.explanation_es

    def choices(self, language: str) -> list[str]:
        """The choices shown; a true/false question has two fixed ones."""
        if self.kind == QuestionKind.TRUEFALSE:
            from django.utils.translation import gettext

            return [gettext("True"), gettext("False")]
        return list(self.choices_en if language == "en" else self.choices_es)

    def is_correct(self, chosen: list[int]) -> bool:
        return sorted(set(chosen)) == sorted(self.correct)


def first_form(key: str, activity_id: int) -> str:
    """The form a person takes as pre-test ("A" or "B"): half of a room each way, stable for
    the same person and activity."""
    digest = hashlib.sha256(f"learning.split\0{activity_id}\0{key}".encode()).digest()
    return Form.A if digest[0] % 2 == 0 else Form.B


def form_for(key: str, activity_id: int, phase: str) -> str:
    first = first_form(key, activity_id)
    if phase == Phase.PRE:
        return first
    return Form.B if first == Form.A else Form.A


# Unambiguous: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 6


class LiveSession(models.Model):
    """A pre- or post-test a facilitator runs in the room for one programme activity."""

    activity = models.ForeignKey("program.Activity", on_delete=models.PROTECT, related_name="learning_sessions")
    version = models.ForeignKey(TestVersion, on_delete=models.PROTECT, related_name="sessions")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    state = models.CharField(_("state"), max_length=6, choices=SessionState.choices, default=SessionState.OPEN)
    # Only an open session holds a code; closing frees it (NULLs never collide).
    code = models.CharField(_("code"), max_length=CODE_LENGTH, null=True, blank=True, unique=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    on_paper = models.BooleanField(_("answers typed from paper"), default=False)
    help_requests = models.PositiveIntegerField(default=0)
    last_help_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("live test session")
        verbose_name_plural = _("live test sessions")

    def __str__(self) -> str:
        return f"{self.version} {self.phase} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN


class Seat(models.Model):
    """One phone in a live session: its place is an unguessable token in the path."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="seats")
    token = models.CharField(max_length=43, unique=True)
    state = models.CharField(max_length=8, choices=SeatState.choices, default=SeatState.WAITING)
    number = models.PositiveSmallIntegerField()  # shown to the facilitator to admit ("phone 3")
    participant = models.ForeignKey("program.Participant", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    pairing_hash = models.CharField(max_length=64, blank=True, default="")
    form = models.CharField(max_length=1, choices=Form.choices, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="seat_number_unique"),
            models.UniqueConstraint(fields=["session", "participant"], name="seat_participant_unique",
                                    condition=models.Q(participant__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"seat {self.number}"

    @property
    def identified(self) -> bool:
        return self.participant_id is not None or bool(self.pairing_hash)


class Answer(models.Model):
    """One record per answered question. The first answer given is the one kept: a retried
    POST (a dropped connection, a queued offline answer sent twice) never duplicates it."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    chosen = models.JSONField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seat", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.seat_id}/{self.question_id}"



# --- Self-paced courses: no account, no cookie ---------------------------------------------

PROGRESS_CODE_LENGTH = 12  # 23 letters ** 12 ≈ 2 ** 54: written down as XXXX-XXXX-XXXX
VERIFY_CODE_LENGTH = 12


class SelfLearner(models.Model):
    """One person taking a course on their own. Known only by a progress code they wrote down:
    the code itself is never stored, only its keyed hash (``code_hash``), so the database cannot
    tell anyone's code. Holds the lessons read and the post-test form they take."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="self_learners")
    version = models.ForeignKey(TestVersion, on_delete=models.PROTECT, related_name="self_learners")
    form = models.CharField(_("form"), max_length=1, choices=Form.choices)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    lessons_read = models.JSONField(default=list)  # lesson slugs
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-paced learner")
        verbose_name_plural = _("self-paced learners")

    def __str__(self) -> str:
        return f"learner {self.pk}"


class SelfAnswer(models.Model):
    """A self-paced learner's answer to a post-test question (the first one given is kept)."""

    learner = models.ForeignKey(SelfLearner, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="self_answers")
    chosen = models.JSONField()
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "question"], name="self_answer_once")]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.question_id}"


class Certificate(models.Model):
    """A constancia: the name to print (encrypted at rest), the score, and a verification code
    (kept as a keyed hash for the public check, and encrypted to print it again)."""

    learner = models.OneToOneField(SelfLearner, on_delete=models.CASCADE, related_name="certificate")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    name = EncryptedTextField(_("name"))
    verify_code = EncryptedTextField(_("verification code"))
    verify_hash = models.CharField(max_length=64, unique=True, editable=False)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"certificate {self.pk}"
