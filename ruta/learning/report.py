"""Reports per objective and per question of a course, from live-test answers.

Counted over people, first attempt only: a person is the participant chosen from the roster,
or the anonymous pairing code, or else the phone; for each phase and question only their
first answer counts. Questions are matched across test versions by their stable code.
Every figure drawn from fewer than 5 people is withheld ("<5", ``ruta.lib.suppression``).
The screen and the CSV/XLSX exports are built from the same :class:`Report` rows.
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
from ruta.lib.suppression import MINIMUM, protect_count
from ruta.program.models import AgeBand, Programme, Sex, StakeholderGroup, age_band

DIMENSIONS = {"group": gettext_lazy("Stakeholder group"), "sex": gettext_lazy("Sex"),
              "age_band": gettext_lazy("Age band"), "district": gettext_lazy("District")}


@dataclass
class Report:
    course: Course
    by: str
    question_header: list[str] = field(default_factory=list)
    question_rows: list[list[Any]] = field(default_factory=list)
    objective_header: list[str] = field(default_factory=list)
    objective_rows: list[list[Any]] = field(default_factory=list)


def _share(right: int, n: int, persons: int | None = None) -> Any:
    if n == 0:
        return "—"
    if protect_count(n if persons is None else persons).hidden:
        return f"<{MINIMUM}"
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
        return str(_("Not named (anonymous code)"))
    if by == "group":
        return str(StakeholderGroup(row["seat__participant__group"]).label) if row["seat__participant__group"] else "—"
    if by == "sex":
        return str(Sex(row["seat__participant__sex"]).label)
    if by == "age_band":
        band = age_band(row["seat__participant__first_age"] or row["seat__participant__age_at_registration"])
        return str(AgeBand(band).label) if band else str(_("Outside 10–24"))
    return str(row["seat__participant__district__name"] or "—")


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
    report = Report(course=course, by=by)
    report.question_header = [str(_("Question")), str(_("Form")), str(_("Objective")), str(_("People (pre)")),
                              str(_("Correct, pre (%)")), str(_("People (post)")), str(_("Correct, post (%)")),
                              str(_("Gain (points)")), str(_("Facility index")), str(_("Discrimination index")),
                              str(_("Difficult (under 80 %)"))]
    for q in questions:
        pre, post = stats["pre"][q.code], stats["post"][q.code]
        pre_share, post_share = _share(pre.correct, pre.answered), _share(post.correct, post.answered)
        main = post if post.answered else pre
        hidden = protect_count(main.answered).hidden
        report.question_rows.append([
            f"{q.form}{q.order}. {q.text(language)}", q.form, q.objective.code, str(protect_count(pre.answered)),
            pre_share, str(protect_count(post.answered)), post_share, _gain(pre_share, post_share),
            "—" if hidden or main.facility is None else main.facility,
            "—" if hidden or main.discrimination is None else main.discrimination,
            "" if hidden or not main.answered else (_("yes") if main.difficult else _("no")),
        ])
    # Per objective (and slice): right / answered over first attempts.
    cells: dict[tuple[str, int, str], list[Any]] = defaultdict(lambda: [0, 0, set()])
    for (phase, person_key, _code), row in first.items():
        slice_label = _slice(row, by) if by else ""
        cell = cells[(slice_label, row["question__objective_id"], phase)]
        cell[0] += 1 if row["correct"] else 0
        cell[1] += 1
        cell[2].add(person_key)
    objectives = list(Objective.objects.filter(course=course).order_by("order"))
    slices = sorted({k[0] for k in cells}) or [""]
    report.objective_header = ([str(DIMENSIONS[by])] if by else []) + [
        str(_("Objective")), str(_("People (pre)")), str(_("Correct, pre (%)")), str(_("People (post)")),
        str(_("Correct, post (%)")), str(_("Gain (points)"))]
    for slice_label in slices:
        for obj in objectives:
            pre_c = cells.get((slice_label, obj.pk, "pre"), [0, 0, set()])
            post_c = cells.get((slice_label, obj.pk, "post"), [0, 0, set()])
            pre_share = _share(pre_c[0], pre_c[1], len(pre_c[2]))
            post_share = _share(post_c[0], post_c[1], len(post_c[2]))
            report.objective_rows.append(([slice_label] if by else []) + [
                obj.text(language), str(protect_count(len(pre_c[2]))), pre_share, str(protect_count(len(post_c[2]))),
                post_share, _gain(pre_share, post_share)])
    return report
