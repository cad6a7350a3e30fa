"""Paper forms: each test version's form A and B as a PDF (one page where it fits), and the
answer sheet (the facilitator's key, by question, with each explanation)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from ruta.learning.models import Course, TestVersion

LETTERS = "abcdefghij"

CSS = """
@page { size: A4; margin: 12mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.3; }
h1 { font-size: 13pt; margin: 0 0 2mm; }
.meta { font-size: 9pt; margin: 0 0 3mm; }
.line { border-bottom: 1px solid #000; display: inline-block; min-width: 55mm; }
.line.short { min-width: 25mm; }
ol.q > li { margin: 0 0 2.5mm; break-inside: avoid; }
ul.c { list-style: none; padding: 0; margin: 1mm 0 0; }
ul.c li { display: inline-block; margin-right: 5mm; }
.box { display: inline-block; width: 3.2mm; height: 3.2mm; border: 1px solid #000; margin-right: 1.2mm;
       vertical-align: -0.5mm; }
.help { border: 1px solid #000; padding: 2mm; font-size: 9pt; margin-top: 3mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
td, th { border: 1px solid #666; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
"""


def _questions(version: TestVersion, form: str, language: str) -> list[dict[str, Any]]:
    return [{"q": q, "text": q.text(language), "explanation": q.explanation(language),
             "choices": list(zip(LETTERS, q.choices(language), strict=False)),
             "key": ", ".join(LETTERS[i] for i in q.correct), "multiple": q.kind == "multiple"}
            for q in version.form_questions(form)]


def pdf(course: Course, form: str, language: str, *, key: bool = False) -> bytes:
    return bytes(document(course, form, language, key=key).write_pdf() or b"")


def document(course: Course, form: str, language: str, *, key: bool = False) -> Any:
    """The laid-out WeasyPrint document (its ``pages``), before it becomes PDF bytes."""
    from weasyprint import CSS as WCSS
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    version = course.current_version()
    assert version is not None
    html = render_to_string("learning/paper/form.html", {
        "course": course, "title": course.title(language), "version": version, "form": form, "key": key,
        "questions": _questions(version, form, language)})
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=[WCSS(string=CSS, url_fetcher=fetcher)])
