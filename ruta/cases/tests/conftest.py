from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request under /en/ leaves English active in the thread, and reverse() follows it.
    with translation.override(settings.LANGUAGE_CODE):
        yield
