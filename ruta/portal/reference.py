"""The public pages' first text: ``content/<language>/<slug>.md`` copied into ``Page`` rows on
install. Rows already there are left as they are (the admin's edits win); ``force=True``
(``manage.py load_portal_pages --force``) puts the files back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruta.portal.markup import render, split_front_matter

CONTENT = Path(__file__).resolve().parent / "content"


def files() -> list[tuple[str, str, Path]]:
    return sorted((p.parent.name, p.stem, p) for p in CONTENT.glob("*/*.md"))


def load(force: bool = False, model: Any = None) -> int:
    """Create the missing pages (``model``: the migration's historical ``Page``)."""
    from ruta.portal.models import Page as CurrentPage

    Page = model or CurrentPage  # noqa: N806

    written = 0
    for language, slug, path in files():
        source = split_front_matter(path.read_text(encoding="utf-8"))
        render(source.body)  # a broken file fails the install, not a visitor
        values = {"title": str(source.meta.get("title", slug)), "summary": str(source.meta.get("summary", "")),
                  "body": source.body}
        if force:
            Page.objects.update_or_create(slug=slug, language=language, defaults=values)
            written += 1
        else:
            _, created = Page.objects.get_or_create(slug=slug, language=language, defaults=values)
            written += created
    return written


def load_missing() -> None:
    """``load()`` as a reference loader (conftest ``_reference_loaders``)."""
    load()
