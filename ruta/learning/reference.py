"""Reference data this app's migrations load: the courses in ``content/`` (see conftest.py)."""

from __future__ import annotations


def load() -> None:
    from ruta.learning.loader import load_courses
    from ruta.learning.models import Course

    if not Course.objects.exists():
        load_courses()
