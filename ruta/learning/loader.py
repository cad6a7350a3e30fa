"""Read the courses in ``ruta/learning/content/`` (format: the folder's README), check them
strictly and store them.

:func:`read_course` parses and validates one folder into plain data, raising
:class:`ContentError` with every problem found (file and question named). :func:`load_courses`
stores every course: course, objectives and lessons are updated in place; the questions go
to the course's newest test version when it has not been used yet, or to a new version when
it has and they changed (a used version is read-only).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTENT = Path(__file__).resolve().parent / "content"
LANGS = ("es", "en")
GROUPS = {"youth", "teacher", "authority", "community_org", "family", "other"}
CONFIDENCE = {"verified", "secondary", "unverified"}
KINDS = {"single", "multiple", "truefalse"}
PER_FORM = 10
CODE_RE = re.compile(r"^[a-z_]+$")
LESSON_RE = re.compile(r"^(\d+)-([a-z0-9-]+)\.(es|en)\.md$")


class ContentError(ValueError):
    def __init__(self, folder: Path, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{folder.name}: " + "; ".join(problems))


@dataclass
class CourseData:
    code: str
    order: int
    groups: list[str]
    version: int
    title: dict[str, str]
    summary: dict[str, str]
    objectives: list[dict[str, str]]
    lessons: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)

    def questions_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.questions, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("+++\n"):
        raise ValueError("no TOML front matter (a first line '+++')")
    end = text.find("\n+++\n", 4)
    if end < 0:
        raise ValueError("front matter not closed by a '+++' line")
    return tomllib.loads(text[4:end]), text[end + 5:].lstrip("\n")


def _str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def read_course(folder: Path) -> CourseData:
    problems: list[str] = []
    order_text, _, _ = folder.name.partition("-")
    try:
        meta = tomllib.loads((folder / "course.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(folder, [f"course.toml: {exc}"]) from exc
    code = meta.get("code")
    if not (isinstance(code, str) and CODE_RE.match(code)):
        problems.append(f"course.toml: code {code!r} must be lower-case letters and '_'")
    groups = meta.get("groups")
    if not (isinstance(groups, list) and groups and all(g in GROUPS for g in groups)):
        problems.append(f"course.toml: groups {groups!r} must be stakeholder group codes {sorted(GROUPS)}")
    version = meta.get("version")
    if not (isinstance(version, int) and version >= 1):
        problems.append("course.toml: version must be a whole number >= 1")
    for lang in LANGS:
        part = meta.get(lang)
        if not (isinstance(part, dict) and _str(part.get("title"))):
            problems.append(f"course.toml: [{lang}] title missing")
    objectives = meta.get("objectives") or []
    objective_codes: list[str] = []
    for i, obj in enumerate(objectives, 1):
        if not (isinstance(obj, dict) and _str(obj.get("code")) and all(_str(obj.get(lang)) for lang in LANGS)):
            problems.append(f"course.toml: objective {i} needs code, es and en")
            continue
        objective_codes.append(obj["code"])
    if not objective_codes:
        problems.append("course.toml: no objectives")
    if len(set(objective_codes)) != len(objective_codes):
        problems.append("course.toml: an objective code is repeated")
    data = CourseData(
        code=str(code), order=int(order_text) if order_text.isdigit() else 0, groups=list(groups or []),
        version=int(version or 1),
        title={lang: str((meta.get(lang) or {}).get("title", "")) for lang in LANGS},
        summary={lang: str((meta.get(lang) or {}).get("summary", "")) for lang in LANGS},
        objectives=[{"code": o["code"], "es": o["es"], "en": o["en"]} for o in objectives
                    if isinstance(o, dict) and o.get("code") in objective_codes],
    )
    _read_lessons(folder, data, set(objective_codes), problems)
    _read_questions(folder, data, set(objective_codes), problems)
    if problems:
        raise ContentError(folder, problems)
    return data


def _read_lessons(folder: Path, data: CourseData, objectives: set[str], problems: list[str]) -> None:
    found: dict[tuple[int, str], dict[str, Any]] = {}
    lessons_dir = folder / "lessons"
    for path in sorted(lessons_dir.glob("*")) if lessons_dir.is_dir() else []:
        match = LESSON_RE.match(path.name)
        if not match:
            problems.append(f"lessons/{path.name}: name must be <n>-<slug>.<es|en>.md")
            continue
        key = (int(match[1]), match[2])
        try:
            front, body = _front_matter(path.read_text(encoding="utf-8"))
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"lessons/{path.name}: {exc}")
            continue
        first, _, rest = body.partition("\n")
        if not first.startswith("# ") or not first[2:].strip():
            problems.append(f"lessons/{path.name}: the Markdown must start with '# Title'")
            continue
        lesson_objectives = front.get("objectives") or []
        unknown = [o for o in lesson_objectives if o not in objectives]
        if unknown:
            problems.append(f"lessons/{path.name}: unknown objectives {unknown}")
        sources = front.get("sources") or []
        for s in sources:
            if not (isinstance(s, dict) and _str(s.get("text")) and s.get("confidence") in CONFIDENCE):
                problems.append(f"lessons/{path.name}: each source needs text and a confidence in {sorted(CONFIDENCE)}")
        entry = found.setdefault(key, {"order": key[0], "slug": key[1], "objectives": [], "sources": {}})
        entry["objectives"] = sorted(set(entry["objectives"]) | {o for o in lesson_objectives if o in objectives})
        entry["sources"][match[3]] = [{"text": s.get("text"), "confidence": s.get("confidence")} for s in sources
                                      if isinstance(s, dict)]
        entry[f"title_{match[3]}"] = first[2:].strip()
        entry[f"body_{match[3]}"] = rest.strip() + "\n"
    for (n, slug), entry in sorted(found.items()):
        for lang in LANGS:
            if f"body_{lang}" not in entry:
                problems.append(f"lessons/{n}-{slug}.{lang}.md is missing")
        entry["sources"] = entry["sources"].get("es") or entry["sources"].get("en") or []
        data.lessons.append(entry)
    if not found:
        problems.append("lessons/: no lessons")


def _read_questions(folder: Path, data: CourseData, objectives: set[str], problems: list[str]) -> None:
    try:
        raw = tomllib.loads((folder / "questions.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"questions.toml: {exc}")
        return
    seen: set[str] = set()
    per_form: dict[str, dict[str, int]] = {"A": {}, "B": {}}
    order = {"A": 0, "B": 0}
    for i, q in enumerate(raw.get("questions") or [], 1):
        where = f"questions.toml: question {i} ({q.get('code', '?') if isinstance(q, dict) else '?'})"
        if not isinstance(q, dict):
            problems.append(f"{where}: not a table")
            continue
        before = len(problems)
        code, form, kind, correct = q.get("code"), q.get("form"), q.get("kind"), q.get("correct")
        if not _str(code) or code in seen:
            problems.append(f"{where}: code missing or repeated")
        seen.add(str(code))
        if q.get("objective") not in objectives:
            problems.append(f"{where}: objective {q.get('objective')!r} is not one of the course's")
        if form not in ("A", "B"):
            problems.append(f"{where}: form must be A or B")
        if kind not in KINDS:
            problems.append(f"{where}: kind must be one of {sorted(KINDS)}")
        if q.get("confidence") not in CONFIDENCE:
            problems.append(f"{where}: confidence must be one of {sorted(CONFIDENCE)}")
        if not _str(q.get("source")):
            problems.append(f"{where}: source missing")
        n_choices: set[int] = set()
        for lang in LANGS:
            part = q.get(lang)
            if not (isinstance(part, dict) and _str(part.get("text")) and _str(part.get("explanation"))):
                problems.append(f"{where}: [{lang}] needs text and explanation")
                continue
            choices = part.get("choices")
            if kind == "truefalse":
                if choices:
                    problems.append(f"{where}: a true/false question has no choices")
            elif not (isinstance(choices, list) and len(choices) >= 2 and all(_str(c) for c in choices)):
                problems.append(f"{where}: [{lang}] needs at least two choices")
            else:
                n_choices.add(len(choices))
        if kind != "truefalse" and len(n_choices) > 1:
            problems.append(f"{where}: es and en have a different number of choices")
        size = 2 if kind == "truefalse" else (n_choices.pop() if len(n_choices) == 1 else 0)
        if not (isinstance(correct, list) and correct and all(isinstance(c, int) and not isinstance(c, bool)
                                                              for c in correct)):
            problems.append(f"{where}: correct must be a list of choice numbers")
        else:
            if size and any(c < 0 or c >= size for c in correct):
                problems.append(f"{where}: correct {correct} is out of range (0–{size - 1})")
            if len(set(correct)) != len(correct):
                problems.append(f"{where}: correct repeats a choice")
            if kind in ("single", "truefalse") and len(correct) != 1:
                problems.append(f"{where}: a {kind} question has exactly one correct answer")
            if kind == "multiple" and size and len(correct) >= size + 1:
                problems.append(f"{where}: correct lists more answers than there are choices")
        if len(problems) > before:
            continue
        form, correct = str(form), list(correct or [])
        per_form[form][q["objective"]] = per_form[form].get(q["objective"], 0) + 1
        order[form] += 1
        data.questions.append({
            "code": code, "order": order[form], "objective": q["objective"], "form": form, "kind": kind,
            "correct": sorted(correct), "source": q["source"], "confidence": q["confidence"],
            **{f"text_{lang}": q[lang]["text"] for lang in LANGS},
            **{f"choices_{lang}": list(q[lang].get("choices") or []) for lang in LANGS},
            **{f"explanation_{lang}": q[lang]["explanation"] for lang in LANGS},
        })
    for form in ("A", "B"):
        count = sum(per_form[form].values())
        if count != PER_FORM:
            problems.append(f"questions.toml: form {form} has {count} valid questions, needs exactly {PER_FORM}")
    if per_form["A"] != per_form["B"]:
        problems.append(f"questions.toml: forms A and B must cover the same objectives equally "
                        f"(A: {per_form['A']}, B: {per_form['B']})")


def read_all(content: Path = CONTENT) -> list[CourseData]:
    if not content.is_dir():
        return []
    folders = sorted((p for p in content.iterdir() if p.is_dir() and (p / "course.toml").exists()),
                     key=lambda p: (int(p.name.partition("-")[0]) if p.name.partition("-")[0].isdigit() else 0, p.name))
    courses = [read_course(folder) for folder in folders]
    codes = [c.code for c in courses]
    if len(set(codes)) != len(codes):
        raise ContentError(content, ["two course folders have the same code"])
    return courses


def store(course_model: Any, objective_model: Any, lesson_model: Any, version_model: Any,
          question_model: Any, data: CourseData) -> None:
    """Store one course (models passed in, so a migration can use its historical models)."""
    course, _ = course_model.objects.update_or_create(code=data.code, defaults={
        "order": data.order, "groups": data.groups, "title_es": data.title["es"], "title_en": data.title["en"],
        "summary_es": data.summary["es"], "summary_en": data.summary["en"]})
    objectives = {}
    for i, o in enumerate(data.objectives, 1):
        objectives[o["code"]], _ = objective_model.objects.update_or_create(
            code=o["code"], defaults={"course": course, "order": i, "text_es": o["es"], "text_en": o["en"]})
    for entry in data.lessons:
        lesson, _ = lesson_model.objects.update_or_create(course=course, slug=entry["slug"], defaults={
            "order": entry["order"], "title_es": entry["title_es"], "title_en": entry["title_en"],
            "body_es": entry["body_es"], "body_en": entry["body_en"], "sources": entry["sources"]})
        lesson.objectives.set([objectives[c] for c in entry["objectives"]])
    lesson_model.objects.filter(course=course).exclude(slug__in=[e["slug"] for e in data.lessons]).delete()
    digest = data.questions_hash()
    latest = version_model.objects.filter(course=course).order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return
    if latest is None or latest.used_at is not None:
        number = max(data.version, latest.number + 1 if latest else 1)
        latest = version_model.objects.create(course=course, number=number, content_hash=digest)
    else:
        question_model.objects.filter(version=latest).delete()
        latest.content_hash = digest
        latest.number = max(latest.number, data.version)
        latest.save()
    for q in data.questions:
        question_model.objects.create(version=latest, objective=objectives[q["objective"]],
                                      **{k: v for k, v in q.items() if k != "objective"})


def load_courses(content: Path = CONTENT, models: tuple[Any, ...] | None = None) -> int:
    """Check every course folder first (nothing is stored if one is wrong), then store them."""
    if models is None:
        from ruta.learning.models import Course, Lesson, Objective, Question, TestVersion

        models = (Course, Objective, Lesson, TestVersion, Question)
    if not content.is_dir():
        return 0
    courses = read_all(content)
    course_m, objective_m, lesson_m, version_m, question_m = models
    for data in courses:
        store(course_m, objective_m, lesson_m, version_m, question_m, data)
    return len(courses)
