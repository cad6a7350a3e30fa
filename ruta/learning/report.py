"""Reports per objective and per question of a course, from live-test answers.

Counted over people, first attempt only: a person is the participant chosen from the roster,
or the anonymous pairing code, or else the phone; for each phase and question only their
first answer counts. Questions are matched across test versions by their stable code.
The counts of people are published through the one disclosure control as one set
(``ruta.lib.suppression.protect_set``): the people per objective and phase, their breakdown by
every dimension (whichever the reader picks, so no two breakdowns can be subtracted) and the
people per question, linked to their objective's figure when they are the same people count.
A count of 1 to 4 shows "<5", a figure that would give it away shows "x", zero shows 0. A
share, gain or item index from fewer than 10 people (``MIN_BASE``) shows "n<10". The screen and
the CSV/XLSX exports are built from the same :class:`Report` rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.learning.codes import SeatState
from ruta.learning.itemstats import item_stats
from ruta.learning.models import Answer, Course, Objective, Question
from ruta.lib.suppression import MIN_BASE, SetPart, Shown, protect_set, shown_by_name
from ruta.program.models import AgeBand, Programme, Sex, StakeholderGroup, age_band

DIMENSIONS = {"group": gettext_lazy("Stakeholder group"), "sex": gettext_lazy("Sex"),
              "age_band": gettext_lazy("Age band"), "district": gettext_lazy("District")}
ANONYMOUS = gettext_lazy("Not named (anonymous code)")  # a slice of every breakdown: the same people


@dataclass
class Report:
    course: Course
    by: str
    question_header: list[str] = field(default_factory=list)
    question_rows: list[list[Any]] = field(default_factory=list)
    objective_header: list[str] = field(default_factory=list)
    objective_rows: list[list[Any]] = field(default_factory=list)
    # The counts of people behind the report and their protection (for the disclosure tests).
    people_set: tuple[list[SetPart], list[Any]] = field(default_factory=lambda: ([], []))


WITHHELD = f"n<{MIN_BASE}"


def _share(right: int, n: int, persons: int) -> Any:
    if n == 0:
        return "—"
    if persons < MIN_BASE:
        return WITHHELD
    return round(100 * right / n, 1)


def _gain(pre: Any, post: Any) -> Any:
    return round(post - pre, 1) if isinstance(pre, float | int) and isinstance(post, float | int) else "—"


def _answers(course: Course, programmes: QuerySet[Programme]) -> Iterable[Any]:
    return (Answer.objects.filter(question__version__course=course, seat__state=SeatState.ADMITTED,
                                  seat__session__activity__programme__in=programmes)
            .order_by("answered_at", "pk")
            .values("correct", "question__code", "question__objective_id", "seat_id", "seat__participant_id",
                    "seat__pairing_hash", "seat__session__phase", "seat__participant__group",
                    "seat__participant__sex", "seat__participant__first_age",
                    "seat__participant__age_at_registration", "seat__participant__district__name"))


def _person(row: dict[str, Any]) -> str:
    if row["seat__participant_id"]:
        return f"p{row['seat__participant_id']}"
    if row["seat__pairing_hash"]:
        return f"a{row['seat__pairing_hash']}"
    return f"s{row['seat_id']}"


def _slice(row: dict[str, Any], by: str) -> str:
    if not row["seat__participant_id"]:
        return str(ANONYMOUS)
    if by == "group":
        return str(StakeholderGroup(row["seat__participant__group"]).label) if row["seat__participant__group"] else "—"
    if by == "sex":
        return str(Sex(row["seat__participant__sex"]).label)
    if by == "age_band":
        band = age_band(row["seat__participant__first_age"] or row["seat__participant__age_at_registration"])
        return str(AgeBand(band).label) if band else str(_("Outside 10–24"))
    return str(row["seat__participant__district__name"] or "—")


def _protected_counts(objective_people: dict[tuple[int, str], set[str]],
                      slice_people: dict[tuple[str, str, int, str], set[str]],
                      question_people: dict[tuple[str, str], int], question_objective: dict[str, int],
                      ) -> tuple[dict[object, Shown], list[SetPart], list[Any]]:
    """Every count of people the report can publish, whatever the breakdown, as one protected set."""
    parts: list[SetPart] = []
    totals = {key: len(people) for key, people in objective_people.items()}
    for (objective, phase), total in sorted(totals.items()):
        for dim in DIMENSIONS:
            labels = sorted(label for d, label, o, ph in slice_people if (d, o, ph) == (dim, objective, phase))
            counts = [len(slice_people[(dim, label, objective, phase)]) for label in labels]
            if sum(counts) != total:  # not a partition of the objective's people: never the case
                raise ValueError("the breakdown does not add up to the objective's people")
            # The anonymous people are the same figure in every breakdown.
            names = [("anonymous", objective, phase) if label == str(ANONYMOUS) else (dim, label, objective, phase)
                     for label in labels]
            parts.append(SetPart.line(counts, total=("objective", objective, phase), names=names))
    for (code, phase), n in sorted(question_people.items()):
        objective = question_objective[code]
        same = totals.get((objective, phase)) == n  # the same people as their objective: one figure
        parts.append(SetPart.line([n], names=[("objective", objective, phase) if same else ("question", code, phase)]))
    tables = protect_set(parts) if parts else []
    return shown_by_name(parts, tables), parts, tables


def build(course: Course, programmes: QuerySet[Programme], by: str = "", language: str = "es") -> Report:
    by = by if by in DIMENSIONS else ""
    first: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in _answers(course, programmes):
        key = (row["seat__session__phase"], _person(row), row["question__code"])
        first.setdefault(key, row)  # ordered by time: the first attempt
    # Per question, per phase: people → {code: right}.
    people: dict[str, dict[str, dict[str, bool]]] = {"pre": defaultdict(dict), "post": defaultdict(dict)}
    for (phase, person, code), row in first.items():
        people[phase][person][code] = row["correct"]
    version = course.current_version()
    questions = list(Question.objects.filter(version=version).select_related("objective").order_by("form", "order")) \
        if version else []
    codes = [q.code for q in questions]
    stats = {phase: {s.item: s for s in item_stats(codes, list(people[phase].values()))} for phase in ("pre", "post")}
    # Per objective (and slice of every dimension): right / answered over first attempts, and the people.
    cells: dict[tuple[str, int, str], list[Any]] = defaultdict(lambda: [0, 0, set()])
    objective_people: dict[tuple[int, str], set[str]] = defaultdict(set)
    slice_people: dict[tuple[str, str, int, str], set[str]] = defaultdict(set)
    for (phase, person_key, _code), row in first.items():
        objective_id = row["question__objective_id"]
        slice_label = _slice(row, by) if by else ""
        cell = cells[(slice_label, objective_id, phase)]
        cell[0] += 1 if row["correct"] else 0
        cell[1] += 1
        cell[2].add(person_key)
        objective_people[(objective_id, phase)].add(person_key)
        for dim in DIMENSIONS:
            slice_people[(dim, _slice(row, dim), objective_id, phase)].add(person_key)
    question_people = {(q.code, phase): stats[phase][q.code].answered for q in questions for phase in ("pre", "post")
                       if stats[phase][q.code].answered}
    shown, parts, tables = _protected_counts(objective_people, slice_people, question_people,
                                             {q.code: q.objective_id for q in questions})

    def count(name: object, n: int) -> str:
        return str(shown[name]) if n else "0"

    report = Report(course=course, by=by, people_set=(parts, tables))
    report.question_header = [str(_("Question")), str(_("Form")), str(_("Objective")), str(_("People (pre)")),
                              str(_("Correct, pre (%)")), str(_("People (post)")), str(_("Correct, post (%)")),
                              str(_("Gain (points)")), str(_("Facility index")), str(_("Discrimination index")),
                              str(_("Difficult (under 80 %)"))]
    for q in questions:
        pre, post = stats["pre"][q.code], stats["post"][q.code]
        pre_share = _share(pre.correct, pre.answered, pre.answered)
        post_share = _share(post.correct, post.answered, post.answered)
        main = post if post.answered else pre
        withheld = main.answered < MIN_BASE

        def question_count(phase: str, n: int, q: Question = q) -> str:
            same = objective_people.get((q.objective_id, phase))
            name = ("objective", q.objective_id, phase) if same is not None and len(same) == n else \
                ("question", q.code, phase)
            return count(name, n)

        report.question_rows.append([
            f"{q.form}{q.order}. {q.text(language)}", q.form, q.objective.code, question_count("pre", pre.answered),
            pre_share, question_count("post", post.answered), post_share, _gain(pre_share, post_share),
            WITHHELD if withheld and main.answered else ("—" if main.facility is None else main.facility),
            WITHHELD if withheld and main.answered else ("—" if main.discrimination is None else main.discrimination),
            "" if withheld or not main.answered else (_("yes") if main.difficult else _("no")),
        ])
    objectives = list(Objective.objects.filter(course=course).order_by("order"))
    slices = sorted({k[0] for k in cells}) or [""]
    report.objective_header = ([str(DIMENSIONS[by])] if by else []) + [
        str(_("Objective")), str(_("People (pre)")), str(_("Correct, pre (%)")), str(_("People (post)")),
        str(_("Correct, post (%)")), str(_("Gain (points)"))]

    def people_count(slice_label: str, objective: int, phase: str, n: int) -> str:
        if not by:
            return count(("objective", objective, phase), n)
        if slice_label == str(ANONYMOUS):
            return count(("anonymous", objective, phase), n)
        return count((by, slice_label, objective, phase), n)

    for slice_label in slices:
        for obj in objectives:
            pre_c = cells.get((slice_label, obj.pk, "pre"), [0, 0, set()])
            post_c = cells.get((slice_label, obj.pk, "post"), [0, 0, set()])
            pre_share = _share(pre_c[0], pre_c[1], len(pre_c[2]))
            post_share = _share(post_c[0], post_c[1], len(post_c[2]))
            report.objective_rows.append(([slice_label] if by else []) + [
                obj.text(language), people_count(slice_label, obj.pk, "pre", len(pre_c[2])), pre_share,
                people_count(slice_label, obj.pk, "post", len(post_c[2])), post_share, _gain(pre_share, post_share)])
    return report
