"""Every page, as every role that may see it, in Spanish: no English left on the screen.

Two nets: an English message that has a Spanish translation but still shows (a string
translated at import time, or looked up in the wrong catalogue), and English sentences that
never went through gettext at all, caught by words Spanish does not use.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

from ruta.testing.access import ANONYMOUS, all_rules
from ruta.testing.cast import login, make_cast

CATALOGUES = sorted((Path(__file__).resolve().parent.parent).glob("**/locale/es_PE/LC_MESSAGES/django.po"))
# Words of English prose that Spanish text does not contain.
ENGLISH = re.compile(r"\b(the|and|your|with|this|that|these|which|will|have|from|should|there)\b", re.IGNORECASE)
# Shown as they are on purpose: names of things, codes, the language switch.
ALLOWED = ("English",)


def _english_messages() -> list[str]:
    found = set()
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgstr != entry.msgid and len(entry.msgid) >= 25 and "%(" not in entry.msgid \
                    and "{" not in entry.msgid and "<" not in entry.msgid:
                found.add(entry.msgid)
    return sorted(found)


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|code|pre|svg)\b.*?</\1>", " ", page)
    page = re.sub(r'(?is)<[^>]+\blang="en"[^>]*>.*?</[^>]+>', " ", page)  # the "English" link itself
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(text))


GET_PAGES = [r for r in all_rules() if r.method == "get" and r.ok == 200 and not r.name.startswith("admin:")
             and not r.name.startswith("api:")]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", GET_PAGES, ids=lambda r: r.name)
def test_every_page_is_in_spanish_for_every_role(rule) -> None:  # type: ignore[no-untyped-def]
    cast = make_cast()
    kwargs = rule.kwargs(cast) if rule.kwargs else {}
    url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
    english = _english_messages()
    problems = []
    roles = [ANONYMOUS] if ANONYMOUS in rule.allowed else sorted(rule.allowed)
    for who in roles:
        client = Client(HTTP_ACCEPT_LANGUAGE="es-PE")
        user = cast.user(who)
        if user is not None:
            login(client, user)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = _visible_text(response.content.decode())
        problems += [f"{who}: untranslated {m!r}" for m in english if m in text]
        for match in ENGLISH.finditer(text):
            snippet = text[max(0, match.start() - 40):match.end() + 40]
            if not any(word in snippet for word in ALLOWED):
                problems.append(f"{who}: English words in {snippet!r}")
    assert problems == [], f"{url}:\n" + "\n".join(sorted(set(problems))[:15])
