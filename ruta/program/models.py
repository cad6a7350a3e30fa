"""Programme monitoring: programmes and their targets, participants, activities, attendance,
pre/post instruments and their results.

Stable names (imports, exports, duplicate merge and the donor report build on them):
``Programme``, ``Target``, ``Participant``, ``Activity``, ``Attendance``, ``Instrument``,
``AssessmentResult``. Codes come from docs/architecture.md ("Stable codes").

Three columns are *maintained by the database* (triggers installed by migration 0002), so
they are right whoever writes attendance (the facilitator screen, an import, a merge):
``Participant.first_attended_on``, ``last_attended_on`` and ``sessions_attended``. They are
facts about the participant's own rows, updated in the same transaction as the attendance
row, never a periodic cache. ``Attendance.programme`` and ``Attendance.date`` copy the
activity's (``Attendance.save`` and :func:`ruta.program.actions` keep them equal).

Rows an import is still staging (SQLite; see ``ruta.program.imports.importer``) carry the
import's id in ``import_job`` while a :class:`StagedImport` row names it: the default managers
(``objects``) and the indicators leave them out, so no read sees half an import. The
``all_objects`` managers see every row (the importer and its clean-up only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from ruta.lib.codes import Sex  # noqa: F401  (re-exported: the app's code tables)
from ruta.lib.fields import EncryptedTextField, search_hash


class AgeBand(models.TextChoices):
    """The programme's bands (docs/architecture.md, "Stable codes"). Ages outside 10–24 fall in no band."""

    B10_14 = "10-14", _("10–14")
    B15_19 = "15-19", _("15–19")
    B20_24 = "20-24", _("20–24")


class StakeholderGroup(models.TextChoices):
    YOUTH = "youth", _("Young people")
    TEACHER = "teacher", _("Teachers")
    AUTHORITY = "authority", _("Local authorities")
    COMMUNITY_ORG = "community_org", _("Community organisation members")
    FAMILY = "family", _("Family members")
    OTHER = "other", _("Other")


ADULT_GROUPS = (
    StakeholderGroup.TEACHER,
    StakeholderGroup.AUTHORITY,
    StakeholderGroup.COMMUNITY_ORG,
    StakeholderGroup.FAMILY,
    StakeholderGroup.OTHER,
)


class ActivityType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    PEER_SESSION = "peer_session", _("Peer session")
    CAMPAIGN = "campaign", _("Campaign")
    COMMUNITY_MEETING = "community_meeting", _("Community meeting")
    SCHOOL_SESSION = "school_session", _("School session")


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age: int | None) -> str:
    if age is None or age < 10 or age > 24:
        return ""
    return AgeBand.B10_14 if age <= 14 else AgeBand.B15_19 if age <= 19 else AgeBand.B20_24


def normalise_name(name: str) -> str:
    """Lower case, no accents, single spaces: the form hashed for duplicate blocking."""
    from ruta.lib.names import without_accents

    return " ".join(without_accents(name or "").casefold().split())


NAME_HASH_PURPOSE = "program.participant.name"
NAME_PARTS_PURPOSE = "program.participant.name.part"


def name_parts_of(name: str) -> str:
    """``Participant.name_parts`` for a name: its part hashes, space-separated."""
    from ruta.lib.names import name_part_hashes

    return " ".join(name_part_hashes(name, NAME_PARTS_PURPOSE))


class StagedImport(models.Model):
    """An import whose rows are written but not yet visible (SQLite only: there, an import
    writes in short transactions and is published by deleting this row)."""

    job_id = models.UUIDField(primary_key=True)
    programme = models.ForeignKey("Programme", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.job_id)


class VisibleManager(models.Manager):  # type: ignore[type-arg]
    """Every row but those of an import still being staged."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().exclude(import_job__in=StagedImport.objects.values("job_id"))


class VisibleHistoryManager(HistoryManager):  # type: ignore[misc]
    """``Participant.history`` without the history rows of an import still being staged."""

    def get_super_queryset(self) -> models.QuerySet[Any]:
        return super().get_super_queryset().exclude(import_job__in=StagedImport.objects.values("job_id"))


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    donor = models.CharField(_("donor"), max_length=200)
    starts_on = models.DateField(_("start of period"))
    ends_on = models.DateField(_("end of period"))
    completion_sessions = models.PositiveSmallIntegerField(
        _("sessions to complete"), default=4, validators=[MinValueValidator(1)],
        help_text=_("A participant who attends at least this many sessions has completed the programme."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("implementing organisation"),
    )
    donor_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("donor organisation"),
        help_text=_("Its donor users see this programme's dashboard."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A value the programme commits to for one indicator, optionally for one slice.

    ``indicator`` is a code of :data:`ruta.program.indicators.REGISTRY`; blank
    disaggregation fields mean "all".
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=40)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices, blank=True)
    group = models.CharField(_("stakeholder group"), max_length=20, choices=StakeholderGroup.choices, blank=True)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )
    value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    # Cumulative values expected at dates, format version 1: [["2026-06-30", "600"], ...]; empty: linear
    # over the programme's period (ruta.program.progress).
    plan = models.JSONField(_("plan"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "indicator", "sex", "age_band", "group"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator", "sex", "age_band", "group", "province"],
                name="target_unique_slice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.sex} {self.age_band} {self.group}".strip()


class School(models.Model):
    """A school (or other educational institution) participants attend, chosen from a list of
    the district's schools. Loaded from MINEDU's padrón (``data/padron_iiee_madre_de_dios.csv``,
    ``ruta/program/reference.py``), keyed by ``minedu_code`` (código modular + anexo, e.g.
    ``1544592-0``) so a newer padrón updates rather than duplicates; or added by hand by a
    coordinator (``minedu_code`` empty, ``added_by`` set). No director's name or phone is kept."""

    minedu_code = models.CharField(_("MINEDU code"), max_length=20, blank=True, default="")
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=80, blank=True)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    place = models.CharField(_("town or village"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(fields=["minedu_code"], condition=~models.Q(minedu_code=""),
                                    name="school_minedu_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        extra = " · ".join(x for x in (self.level, self.place) if x)
        return f"{self.name} ({extra})" if extra else self.name


# Participant columns the database keeps (triggers, migrations 0002 and 0003); Python never writes them.
MAINTAINED_FIELDS = (
    "first_attended_on", "last_attended_on", "sessions_attended", "first_age",
    "post_taken_on", "post_score_percent", "knowledge_gain",
)


class Participant(models.Model):
    """A person reached, known by a pseudonymous code; the name is optional and encrypted.

    ``birth_date`` is always set: when only the age at registration is known it is estimated
    as ``registered_on`` minus that many years and ``birth_date_estimated`` is true.
    """

    # No index of its own: the unique (programme, code) index leads with it.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participants",
                                  db_index=False)
    code = models.CharField(_("participant code"), max_length=32)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"))
    birth_date_estimated = models.BooleanField(_("birth date estimated from age"), default=False)
    age_at_registration = models.PositiveSmallIntegerField(
        _("age at registration"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    registered_on = models.DateField(_("registration date"))
    group = models.CharField(_("stakeholder group"), max_length=20, choices=StakeholderGroup.choices)
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    organisation = models.CharField(_("school or organisation"), max_length=200, blank=True)
    # The school from the list (School); ``organisation`` keeps its name, or the free text where
    # no school of the list matched (older records, organisations that are not schools).
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("school"))
    guardian_consent = models.BooleanField(_("guardian consent (under 18)"), default=False)
    name = EncryptedTextField(_("name"), blank=True, default="")
    name_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Keyed hashes of the name's parts (ruta.lib.names.name_part_hashes), space-separated: the
    # search before registering finds a similar name without decrypting anyone's.
    # Nullable so that adding the column does not rebuild the table (SQLite; the attendance
    # triggers name it); "" or NULL: no name.
    name_parts = models.TextField(null=True, blank=True, editable=False)  # noqa: DJ001
    # Maintained by database triggers (migration 0002); never written by Python.
    first_attended_on = models.DateField(_("first attendance"), null=True, blank=True, editable=False)
    last_attended_on = models.DateField(_("last attendance"), null=True, blank=True, editable=False)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0, editable=False)
    first_age = models.SmallIntegerField(_("age at first attendance"), null=True, blank=True, editable=False)
    # Their latest post-test (any test), its score and the gain over the pre-test of the same test.
    post_taken_on = models.DateField(_("latest post-test"), null=True, blank=True, editable=False)
    post_score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    knowledge_gain = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("merged into"),
    )
    # The import that created the row (none for a screen); hidden while that import is staged.
    import_job = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    # Set when the name, school and exact birth date were erased (``ruta.retention``); the birth
    # date is then the one that gives the same completed years at the first attendance.
    erased_at = models.DateTimeField(_("identifying data erased"), null=True, blank=True, editable=False)
    # History rows are read by participant (id) and date only: the indexes simple-history would add
    # on every other foreign key (and on import_job) cost each imported person six index writes.
    history = HistoricalRecords(excluded_fields=[*MAINTAINED_FIELDS, "name_hash", "name_parts"],
                                history_manager=VisibleHistoryManager,
                                no_db_index=["programme", "district", "school", "created_by", "merged_into",
                                             "import_job"])

    objects = VisibleManager()
    all_objects = models.Manager()  # noqa: DJ012  (ruff takes VisibleManager() for a field)

    class Meta:
        ordering = ["code"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="participant_code_unique_in_programme"),
        ]
        indexes = [
            # Indicators read these indexes alone (covering), in the order they group by, so
            # neither the table nor a sort is touched (see indicators.py).
            models.Index(
                fields=["programme", "sex", "group", "district", "first_age", "first_attended_on",
                        "last_attended_on", "sessions_attended"],
                name="participant_reach_idx",
            ),
            models.Index(
                fields=["programme", "sex", "group", "district", "first_age", "post_taken_on",
                        "post_score_percent", "knowledge_gain"],
                name="participant_post_idx",
            ),
            models.Index(
                fields=["programme", "first_attended_on", "first_age", "group", "district"],
                name="participant_first_idx",
            ),
            # People whose attendance runs past the end of a period.
            models.Index(fields=["programme", "last_attended_on"], name="participant_last_idx"),
            # Duplicate blocking: same sex, birth date and district; exact name hash.
            models.Index(fields=["programme", "sex", "birth_date", "district"], name="participant_block_idx"),
            models.Index(fields=["programme", "name_hash"], name="participant_namehash_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_hash = search_hash(normalise_name(self.name), NAME_HASH_PURPOSE)
        self.name_parts = name_parts_of(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_hash", "name_parts"}
        elif update_fields is None and not self._state.adding and self.pk:
            # Never write back the facts the database keeps: this object's copy may be stale.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in MAINTAINED_FIELDS
            ]
        super().save(*args, **kwargs)

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


class Activity(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="activities")
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    place = models.CharField(_("place"), max_length=200)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="program_activities", verbose_name=_("facilitators"), blank=True
    )
    target_group = models.CharField(_("target group"), max_length=20, choices=StakeholderGroup.choices)
    topics = models.TextField(_("topics"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # Covering for the sessions indicator and the monthly trend.
            models.Index(
                fields=["programme", "date", "district", "target_group", "type"], name="activity_prog_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_type_display()} {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """One participant at one activity. ``programme`` and ``date`` repeat the activity's so
    that indicators read this table alone (2,000,000 rows at national scale)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendance")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    import_job = models.UUIDField(null=True, blank=True, editable=False)  # as Participant.import_job

    objects = VisibleManager()
    all_objects = models.Manager()  # noqa: DJ012  (ruff takes VisibleManager() for a field)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "participant"], name="attendance_once_per_activity"),
        ]
        indexes = [
            models.Index(fields=["participant", "date"], name="attendance_person_date_idx"),
            models.Index(fields=["programme", "date"], name="attendance_prog_date_idx"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.activity_id and (not self.programme_id or not self.date):
            self.programme_id = self.activity.programme_id
            self.date = self.activity.date
        super().save(*args, **kwargs)


class ScoringRule(models.TextChoices):
    PERCENT_CORRECT = "percent_correct", _("Share of items answered correctly")


class Instrument(models.Model):
    """One version of a pre/post test. ``code`` names the test across versions; results are
    paired (pre with post) by ``code``.

    ``items`` (JSON, format version 1)::

        {"version": 1,
         "items": [{"id": "q1", "text": {"es": "...", "en": "..."},
                    "choices": [{"id": "a", "text": {"es": "...", "en": "..."}}, ...]}]}

    ``answer_key`` (JSON, format version 1): ``{"version": 1, "answers": {"q1": "b", ...}}``.
    ``scoring`` (JSON, format version 1): ``{"version": 1, "rule": "percent_correct",
    "pass_percent": 70}``. A result copies the scoring and key in force when it was scored.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="instruments")
    code = models.CharField(_("test code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    items = models.JSONField(_("items"))
    answer_key = models.JSONField(_("correct answers"))
    scoring = models.JSONField(_("scoring rule"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("test")
        verbose_name_plural = _("tests")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code", "version"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def item_ids(self) -> list[str]:
        return [str(item["id"]) for item in self.items.get("items", [])]


class AssessmentResult(models.Model):
    """A participant's answers to one version of a test in one phase, with the score and the
    rule used to compute it (``rule``: a copy of ``Instrument.scoring`` plus the answer key,
    so changing an instrument never rewrites history).

    ``answers`` (JSON, format version 1): ``{"version": 1, "answers": {"q1": "b", "q2": null}}``.
    One result per participant, test code and phase: a second sheet replaces the first.
    """

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="results")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="results")
    instrument_code = models.CharField(max_length=40, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="results")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    taken_on = models.DateField(_("date taken"))
    answers = models.JSONField(_("answers"))
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    rule = models.JSONField(_("scoring rule used"))
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument_code", "phase"], name="result_once_per_phase"
            ),
        ]
        indexes = [
            models.Index(
                fields=["programme", "phase", "taken_on", "instrument_code", "participant"],
                name="result_phase_date_idx",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.instrument_id and not self.instrument_code:
            self.instrument_code = self.instrument.code
            self.programme_id = self.instrument.programme_id
        super().save(*args, **kwargs)


# --- Monthly summaries (ruta.program.summaries; kept by its settle(), never by hand) ------------

class _SummaryCell(models.Model):
    programme_id = models.IntegerField()
    kind = models.CharField(max_length=1)  # r: reached, c: completed, p: latest post-test
    month = models.IntegerField()  # 202505
    lo = models.IntegerField()
    prev = models.IntegerField()  # 0: none
    sex = models.CharField(max_length=10)
    group = models.CharField(max_length=20)
    district_id = models.CharField(max_length=6)
    band = models.CharField(max_length=5)  # AgeBand at first attendance, "" outside 10–24
    people = models.IntegerField(default=0)
    passes = models.IntegerField(default=0)
    pairs = models.IntegerField(default=0)
    gain_cents = models.BigIntegerField(default=0)  # knowledge gain × 100: sums stay exact

    class Meta:
        abstract = True


class ReachFact(_SummaryCell):
    """One person's summary rows (``ruta.program.summaries``)."""

    participant_id = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["participant_id"], name="reachfact_participant_idx"),
                   models.Index(fields=["programme_id"], name="reachfact_programme_idx")]


class ReachSummary(_SummaryCell):
    """People per programme, cell and month key (``ruta.program.summaries``)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme_id", "kind", "month", "lo", "prev", "sex", "group", "district_id", "band"],
                name="reachsummary_key",
            ),
        ]


class SummaryPending(models.Model):
    """People whose summary rows wait for ``summaries.settle()``: written by database
    triggers (migration 0013) in the same transaction as the change."""

    participant_id = models.IntegerField(unique=True)
    programme_id = models.IntegerField(db_index=True)
