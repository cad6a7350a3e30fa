"""Every form and API input, fed generated hostile values: no answer is a 5xx (issue 9).

The targets are found, not listed: every URL rule (``ruta/testing/access.py``) is opened as a
role it allows, and each form on the page is posted to with its own field names; URL rules
that are posts are posted to with their data's keys and their page's fields. Values are huge
and negative numbers, ids beyond 64 bits, long strings, unicode, NUL bytes, deep JSON and
broken workbook parts. Examples are bounded so the whole file runs in about a minute.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ruta.testing.access import ANONYMOUS, UrlRule, all_rules
from ruta.testing.cast import Cast, login, make_cast

# Who opens a rule's page: the first role it allows, in this order (the strongest first).
ROLE_ORDER = ["case_supervisor", "coordinator", "caseworker", "facilitator", "me_officer", "donor", "admin",
              ANONYMOUS]
# Posting to these would end the session the other examples use.
SKIP = {"accounts:logout"}
GENERIC_QUERY = ["page", "q", "code", "status", "offset", "limit", "lang"]

EDGE = [str(2**63), str(2**63 - 1), str(2**64), "9" * 20, "9" * 400, str(-(2**63) - 1), "-1", "0", "-0",
        "1e309", "NaN", "inf", "", " ", "2025-13-45", "9999-12-31", "0001-01-01", "null", "[]", "{}",
        "\x00", "a\x00b", "<script>alert(1)</script>", "../../etc/passwd", "%00", "ñandú 😀", "\u202e",
        "' OR 1=1 --", "x" * 5000]
value = st.one_of(
    st.sampled_from(EDGE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=30),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n),
)


@dataclass(frozen=True)
class Target:
    who: str
    method: str  # "get" (query string) or "post" (form body)
    url: str
    fields: tuple[str, ...]
    files: tuple[str, ...] = ()


class _Forms(HTMLParser):
    """Forms on a page: (method, action, field names, file field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, list[str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), [], []))
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            _method, _action, names, files = self.forms[-1]
            (files if a.get("type") == "file" else names).append(a["name"])


def _who(rule: UrlRule) -> str | None:
    return next((w for w in ROLE_ORDER if w in rule.allowed), None)


def _targets(cast: Cast, clients: dict[str, Client]) -> list[Target]:
    found: set[Target] = set()
    for rule in all_rules():
        who = _who(rule)
        if who is None or rule.name in SKIP or (rule.name.startswith("admin:") and rule.name != "admin:index"):
            continue
        with translation.override("es-pe"):
            url = reverse(rule.name, kwargs=rule.kwargs(cast) if rule.kwargs else {})
        data_keys = list(rule.data(cast)) if rule.data else []
        page = clients[who].get(url)
        forms = _Forms()
        if page.get("Content-Type", "").startswith("text/html") and not page.streaming:
            forms.feed(page.content.decode("utf-8", "replace"))
        query = [*dict.fromkeys([*GENERIC_QUERY, *(k for k in rule.query.split("&") if k)])]
        found.add(Target(who, "get", url, tuple(k.partition("=")[0] for k in query)))
        if rule.method == "post":
            names = [n for _m, action, ns, _f in forms.forms if action in ("", url) for n in ns]
            found.add(Target(who, "post", url, tuple(dict.fromkeys([*data_keys, *names]))))
        for method, action, names, files in forms.forms:
            target_url = action or url
            if not target_url.startswith("/") or any(target_url.endswith(s) for s in ("/salir/", "/logout/")):
                continue
            found.add(Target(who, method, target_url, tuple(dict.fromkeys(names)), tuple(files)))
    return sorted(found, key=lambda t: (t.url, t.method, t.who))


def _clients(cast: Cast) -> dict[str, Client]:
    clients = {}
    for who in ROLE_ORDER:
        client = Client(raise_request_exception=False)
        user = cast.user(who)
        if user is not None:
            login(client, user)
        clients[who] = client
    return clients


def _broken_workbooks() -> st.SearchStrategy[bytes]:
    """A workbook whose sheet XML carries generated row numbers, styles and string indexes."""
    attr = st.one_of(st.sampled_from(["zz", "x5", "-1", "1.5", "", str(2**64), "1e9", "\x7f"]),
                     st.text(alphabet="0123456789abcXYZ-.", max_size=12))

    def build(r: str, s: str, v: str, t: str) -> bytes:
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        esc = {ord("<"): "&lt;", ord("&"): "&amp;", ord('"'): "&quot;"}
        r, s, v = r.translate(esc), s.translate(esc), v.translate(esc)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><sheets><sheet name="d" sheetId="1" r:id="rId1"/>'
                                          "</sheets></workbook>")
            z.writestr("xl/_rels/workbook.xml.rels",
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
            z.writestr("xl/sharedStrings.xml", f"<sst {ns}><si><t>participant_code</t></si></sst>")
            z.writestr("xl/worksheets/sheet1.xml",
                       f'<worksheet {ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                       f'<row r="{r}"><c r="A2" s="{s}" t="{t}"><v>{v}</v></c></row></sheetData></worksheet>')
        return out.getvalue()

    return st.builds(build, attr, attr, attr, st.sampled_from(["s", "n", "b", "d", "e", "str", "inlineStr"]))


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


@pytest.mark.django_db
def test_no_form_or_query_answers_5xx() -> None:
    cast = make_cast()
    clients = _clients(cast)
    targets = _targets(cast, clients)
    posts = [t for t in targets if t.method == "post"]
    gets = [t for t in targets if t.method == "get"]
    assert len(posts) > 30 and len(gets) > 60, (len(posts), len(gets))

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post(data: st.DataObject) -> None:
        t = data.draw(st.sampled_from(posts))
        body: dict[str, Any] = data.draw(st.fixed_dictionaries({}, optional={
            n: st.one_of(value, st.lists(value, min_size=2, max_size=3)) for n in t.fields}))
        for name in t.files:
            content = data.draw(st.one_of(_broken_workbooks(), st.binary(max_size=200)))
            body[name] = SimpleUploadedFile(data.draw(st.sampled_from(["d.xlsx", "d.csv", "d"])), content)
        _check(clients[t.who].post(t.url, body), f"POST {t.url} as {t.who} with {body!r:.300}")

    @settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def get(data: st.DataObject) -> None:
        t = data.draw(st.sampled_from(gets))
        query = data.draw(st.dictionaries(st.sampled_from(t.fields), value, max_size=3))
        url = f"{t.url}?{urlencode(query)}"
        _check(clients[t.who].get(url), f"GET {url[:300]} as {t.who}")

    post()
    get()


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False), st.text(max_size=20), st.sampled_from(EDGE)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
PLAN_KEYS = ["age", "sex", "violence_types", "hours_since_incident", "aggressor_relationship",
             "aggressor_lives_with_survivor", "immediate_danger", "is_student", "reporter_role", "district", "lang"]


@pytest.mark.django_db
def test_no_api_input_answers_5xx() -> None:
    client = Client(raise_request_exception=False)

    @settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def api(data: st.DataObject) -> None:
        kind = data.draw(st.sampled_from(["plan", "raw", "deep", "services"]))
        if kind == "services":
            query = data.draw(st.dictionaries(st.sampled_from(["district", "kind", "offer", "limit", "offset"]),
                                              value, max_size=3))
            _check(client.get("/api/v1/services", query), f"GET services {query!r:.300}")
            return
        if kind == "plan":
            import json

            body = json.dumps(data.draw(st.dictionaries(st.sampled_from(PLAN_KEYS), json_values, max_size=6)))
        elif kind == "deep":
            n = data.draw(st.integers(min_value=1, max_value=200_000))
            body = data.draw(st.sampled_from(["[" * n, "[" * n + "]" * n, '{"a":' * n + "1" + "}" * n]))
        else:
            body = data.draw(st.text(max_size=200))
        _check(client.post("/api/v1/pathway/plan", body, content_type="application/json"),
               f"POST plan {body[:200]!r}")

    api()
