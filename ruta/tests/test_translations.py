"""Spanish (Peru) is the default language: every catalogue is complete."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

CATALOGUES = sorted((Path(__file__).resolve().parent.parent).glob("**/locale/es_PE/LC_MESSAGES/django.po"))


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 4


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_message_is_translated(path: Path) -> None:
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in po.translated_entries():
        # Placeholders must survive translation.
        for ph in ("%(", "{"):
            assert entry.msgid.count(ph) == entry.msgstr.count(ph), entry.msgid
