"""Test helpers: the fixture course and a same-origin client without cookies."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from ruta.learning.loader import load_courses
from ruta.learning.models import Course

FIXTURE = Path(__file__).parent / "content"
SAME = {"Sec-Fetch-Site": "same-origin"}


def sample_course() -> Course:
    if not Course.objects.filter(code="sample").exists():
        load_courses(FIXTURE)
    return Course.objects.get(code="sample")


def phone() -> Client:
    """A phone: a client that never sends a cookie (the test asserts none is ever set)."""
    return Client(enforce_csrf_checks=True)
