"""A page's weight as a visitor's first load pays for it: compressed bytes and requests,
the HTML and every stylesheet, script and image it links to (docs/architecture.md, "Budgets": ≤ 30 KB,
≤ 4 requests for public pages)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

STATIC_PREFIX = "/static/"


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "") in ("stylesheet", "icon", "manifest") and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"] or "")


def asset_urls(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return [u for u in parser.urls if not u.startswith("data:")]


@dataclass(frozen=True)
class Weight:
    compressed_bytes: int
    requests: int
    parts: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        return f"{self.compressed_bytes / 1024:.1f} KB in {self.requests} requests"


def compressed_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=9, mtime=0))


def _collected(name: str) -> str | None:
    """A hashed name written by collectstatic (production storage)."""
    candidate = Path(settings.STATIC_ROOT) / name
    return str(candidate) if candidate.is_file() else None


def page_weight(client: Client, path: str, **request_kwargs: Any) -> Weight:
    """Fetch ``path`` with the test client and add up what its first load costs."""
    response = client.get(path, **request_kwargs)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response_weight(path, response.content)


def response_weight(path: str, html: bytes) -> Weight:
    """What a page already fetched (a POST's answer, say) costs with its assets."""
    parts = [(path, compressed_size(html))]
    for url in asset_urls(html.decode()):
        if not url.startswith(STATIC_PREFIX):
            raise AssertionError(f"{path} loads {url} from outside Ruta's static files")
        name = url[len(STATIC_PREFIX):].split("?")[0]
        found = finders.find(name) or _collected(name)
        if not found:
            raise AssertionError(f"{path} links to missing static file {url}")
        with open(found if isinstance(found, str) else found[0], "rb") as f:
            parts.append((url, compressed_size(f.read())))
    return Weight(sum(p[1] for p in parts), len(parts), tuple(parts))
