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
        # Placeholders must survive translation, in every plural form too.
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert all(translations), entry.msgid
        for ph in ("%(", "{"):
            for text in translations:
                assert entry.msgid.count(ph) == text.count(ph), entry.msgid


# makemessages, also finding the ``_l`` alias some modules give gettext_lazy.
MAKEMESSAGES = """
from django.core.management import execute_from_command_line
from django.core.management.commands import makemessages
makemessages.Command.xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
execute_from_command_line(["django-admin", "makemessages", "-l", "es_PE", "--no-location", "-v0"])
"""


def _extracted_messages(tmp: Path) -> set[tuple[str, str]]:
    """Every (context, msgid) that GNU gettext's makemessages finds in Ruta's code and templates."""
    import os
    import shutil
    import subprocess
    import sys

    source = Path(__file__).resolve().parent.parent
    copy = tmp / "ruta"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.po", "*.mo", "__pycache__", "static"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # no settings needed
    subprocess.run([sys.executable, "-c", MAKEMESSAGES], cwd=copy, check=True, capture_output=True, env=env)  # noqa: S603
    found = set()
    for po_path in copy.glob("**/locale/es_PE/LC_MESSAGES/django.po"):
        found |= {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(po_path)) if e.msgid}
    return found


def test_every_message_in_the_code_has_a_spanish_translation(tmp_path: Path) -> None:
    """A new string left out of every catalogue would show in English on a Spanish page."""
    import shutil

    if shutil.which("xgettext") is None:
        pytest.fail("makemessages needs GNU gettext: apt-get install gettext (./test installs it as root)")
    translated = set()
    for path in CATALOGUES:
        translated |= {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(path)).translated_entries()}
    missing = sorted(msgid for ctx, msgid in _extracted_messages(tmp_path) - translated)
    assert missing == [], f"{len(missing)} strings have no Spanish translation: {missing[:20]}"
