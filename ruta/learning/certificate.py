"""The certificate (constancia) as a one-page PDF: course, date, name and verification code."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ruta.learning.models import Certificate

CSS = """
@page { size: A4 landscape; margin: 18mm; }
body { font-family: sans-serif; text-align: center; color: #111; }
.frame { border: 3px double #333; padding: 16mm 12mm; }
h1 { font-size: 26pt; margin: 0 0 8mm; letter-spacing: 1pt; }
.name { font-size: 22pt; font-weight: bold; margin: 6mm 0; }
.course { font-size: 16pt; font-style: italic; margin: 4mm 0 8mm; }
.meta { font-size: 10pt; margin-top: 12mm; }
.code { font-family: monospace; font-size: 12pt; letter-spacing: 1pt; }
"""


def pdf(cert: Certificate, verify_code: str, language: str) -> bytes:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(language):
        html = render_to_string("learning/self/certificate_pdf.html", {
            "cert": cert, "name": cert.name, "course_title": cert.course.title(language),
            "code": verify_code, "lang": language,
            "check_url": settings.SITE_URL + reverse("courses:verify")})
    fetcher = URLFetcher(allowed_protocols={"data"})
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[WCSS(string=CSS, url_fetcher=fetcher)]) or b"")
