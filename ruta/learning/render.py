"""Lesson Markdown to safe HTML: markdown-it-py with raw HTML off, then nh3 with a short list
of tags (no images from elsewhere, no scripts, no styles; links open without a referrer)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False}).disable("image")
TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h2", "h3", "blockquote", "code", "br", "hr"}


@lru_cache(maxsize=256)
def markdown_html(text: str) -> str:
    return nh3.clean(_md.render(text), tags=TAGS, attributes={"a": {"href"}},
                     url_schemes={"https", "http", "mailto", "tel"}, link_rel="noopener noreferrer nofollow")
