"""Screenshots anyone can regenerate: the public site and the guide, walked as a teacher
and as a 17-year-old boy, then every staff page as each demo role, on a 360×740 phone in
Debian's chromium, in Spanish.

    python -m bench screens OUT [--only public|staff]

Writes ``OUT/NN-name.png`` (whole page), ``OUT/figures.json`` and prints, for each page,
its first-load weight (compressed HTML + linked CSS/JS, as ``ruta.testing.weight``
counts it), its length in phone screens (page height ÷ 740) and its width (the document's
scroll width: above 360 the page scrolls sideways). The guide's result is shot as it
opens (steps folded) and with every step unfolded. The staff pages are those of
``ruta.testing.pages`` (every GET URL rule a role may open, on the demo data); for them
the axe-core violations are counted too. A throw-away instance with the demo data is
started and removed afterwards.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from ruta.testing.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    gunicorn,
    login_as,
    manage,
    new_instance,
    scroll_width,
    staff_pages,
)
from ruta.testing.weight import asset_urls

WIDTH, HEIGHT = 360, 740

# (question name, value) in the order the guide asks; "age" is typed. A question the
# guide does not ask (skipped for this role) is passed over.
TEACHER = [
    ("reporter_role", "teacher"), ("immediate_danger", "false"), ("violence_types", "sexual"),
    ("hours_since_incident", "24"), ("age", "15"), ("sex", "female"),
    ("aggressor_relationship", "parent_or_caregiver"), ("aggressor_lives_with_survivor", "true"),
    ("is_student", "true"), ("district", "170101"),
]
BOY = [
    ("reporter_role", "self"), ("immediate_danger", "false"), ("violence_types", "sexual"),
    ("hours_since_incident", "48"), ("age", "17"), ("sex", "male"),
    ("aggressor_relationship", "acquaintance"), ("aggressor_lives_with_survivor", "false"),
    ("is_student", "true"), ("district", "170101"),
]
PUBLIC = [("home", "/"), ("directory", "/servicios/?district=170101"), ("safe-browsing", "/navega-seguro/"),
          ("guide-start", "/guia/"),
          ("rights", "/derechos/"), ("what-is-violence", "/que-es-violencia/"), ("consent", "/consentimiento/"),
          ("if-it-happened", "/si-te-paso/"), ("if-someone-tells", "/si-alguien-te-cuenta/"),
          ("boys-and-diversity", "/chicos-y-diversidad/"), ("help-near", "/ayuda-cerca/?distrito=170101"),
          ("questions", "/preguntas/"), ("read-answer", "/preguntas/leer/"), ("qu-home", "/qu/"),
          ("qu-if-it-happened", "/qu/si-te-paso/"), ("en-home", "/en/")]


def _gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=9, mtime=0))


def weight(base: str, html: str) -> tuple[int, int]:
    """Compressed bytes and requests of a page's first load (HTML + linked assets)."""
    total, requests = _gz(html.encode()), 1
    for url in asset_urls(html):
        with urllib.request.urlopen(base + url if url.startswith("/") else url, timeout=10) as r:  # noqa: S310
            total += _gz(r.read())
        requests += 1
    return total, requests


def shoot(page: Any, base: str, out: Path, name: str, figures: list[dict[str, Any]], *, axe: bool = False) -> None:
    page.wait_for_load_state("load")
    path = out / f"{len(figures) + 1:02d}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    size, requests = weight(base, page.content())
    figures.append({"page": name, "file": path.name, "title": page.title(), "screens": round(height / HEIGHT, 1),
                    "width": scroll_width(page), "kb_compressed": round(size / 1024, 1), "requests": requests})
    row = figures[-1]
    if axe:
        row["axe"] = [f"{v['id']} ×{len(v['nodes'])}" for v in axe_violations(page)]
    axe_note = "  axe: " + ", ".join(row["axe"]) if row.get("axe") else ""
    sys.stdout.write(f"{row['file']:48} {row['width']:4} px {row['screens']:5} screens {row['kb_compressed']:6} KB "
                     f"{row['requests']} req  {row['title']}{axe_note}\n")


def walk(page: Any, base: str, answers: list[tuple[str, str]], out: Path, who: str,
         figures: list[dict[str, Any]]) -> None:
    """Answer the questions the guide asks (it skips those a role already answers), then
    photograph the result. With JavaScript each answer replaces the screen in place."""
    page.goto(f"{base}/guia/")
    given = dict(answers)
    for n in range(1, len(answers) + 2):
        step = page.locator("input[name='step']")
        if not step.count():
            break
        name = step.get_attribute("value") or ""
        if name == "age":
            page.fill("#age", given[name])
        else:
            page.locator(f"input[name='{name}'][value='{given[name]}']").check()
        if n in (1, 3, 4):
            shoot(page, base, out, f"{who}-q{n}-{name}", figures)
        page.locator("form.guide-form button[type=submit]:not([name])").first.click()
        page.wait_for_function("(name) => { const s = document.querySelector(\"input[name='step']\");"
                               " return !s || s.value !== name; }", arg=name)
    page.wait_for_selector(".guide-result")
    shoot(page, base, out, f"{who}-result", figures)
    page.locator("li.step details").evaluate_all("els => els.forEach(e => e.open = true)")
    shoot(page, base, out, f"{who}-result-all-open", figures)


def walk_staff(browser: Any, base: str, env: dict[str, str], out: Path, figures: list[dict[str, Any]]) -> None:
    """Every staff page as each demo role (one login per role)."""
    logins = {x["username"]: x for x in json.loads(manage(env, "demo_credentials", "--json"))}
    pages = staff_pages(env)
    for role, mine in pages["roles"].items():
        context = browser.new_context(locale="es-PE", viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        login_as(page, base, logins[mine["username"]])
        for item in mine["pages"]:
            response = page.goto(base + item["path"])
            name = f"staff-{role}-{item['name']}"
            if response is None or response.status != 200:
                sys.stdout.write(f"{name}: HTTP {response.status if response else '?'}\n")
                continue
            shoot(page, base, out, name, figures, axe=True)
            figures[-1]["role"] = role
        context.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench screens")
    parser.add_argument("out", type=Path, nargs="?", default=Path("var/screens"),
                        help="folder for the screenshots and figures.json (default var/screens)")
    parser.add_argument("--only", choices=("public", "staff"), help="walk only the public or only the staff pages")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    figures: list[dict[str, Any]] = []
    with new_instance("ruta-screens-") as (env, port), gunicorn(env, port) as (base, _proc), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in PUBLIC if args.only != "staff" else ():
            context = browser.new_context(locale="es-PE", viewport={"width": WIDTH, "height": HEIGHT})
            page = context.new_page()
            response = page.goto(base + path)
            if response is not None and response.ok:
                shoot(page, base, args.out, name, figures)
            context.close()
        for who, answers in (("teacher", TEACHER), ("boy", BOY)) if args.only != "staff" else ():
            context = browser.new_context(locale="es-PE", viewport={"width": WIDTH, "height": HEIGHT})
            walk(context.new_page(), base, answers, args.out, who, figures)
            context.close()
        if args.only != "public":
            walk_staff(browser, base, env, args.out, figures)
        browser.close()
    (args.out / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
