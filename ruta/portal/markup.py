"""The public pages' text: a small, safe subset of Markdown with TOML front matter.

Pages live as files in ``ruta/portal/content/<language>/<slug>.md`` and are copied into the
database on install (``reference.load``), where the admin edits them with history. Every
character of the source is escaped; only these forms become HTML:

- ``## Heading`` (``###`` too), a blank line between paragraphs;
- ``- item`` lists;
- ``> text`` a source line, shown small ("Fuente: …");
- ``!! text`` a call-out card (help now);
- ``**bold**`` and ``[text](/path/)``, ``[text](#anchor)`` or ``[text](tel:100)``: links go
  only to this site or to the phone; a ``/path`` gets the page's language prefix.

No raw HTML, no images, no links to other origins: nothing an editor types can load a
resource or run a script."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FRONT = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n", re.S)
LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
SAFE_HREF = re.compile(r"^(/(?!/)[A-Za-z0-9/_\-.?=&]*|#[A-Za-z0-9_\-]+|tel:[0-9+]+)$")


class MarkupError(ValueError):
    pass


@dataclass(frozen=True)
class Source:
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""


def split_front_matter(text: str) -> Source:
    """``+++`` TOML ``+++`` then the body."""
    text = text.replace("\r\n", "\n")
    m = FRONT.match(text)
    if not m:
        return Source({}, text.strip())
    try:
        meta = tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError as e:
        raise MarkupError(f"front matter: {e}") from e
    return Source(meta, text[m.end():].strip())


def _inline(text: str, prefix: str) -> str:
    out: list[str] = []
    pos = 0
    for m in LINK.finditer(text):
        out.append(_bold(escape(text[pos:m.start()])))
        label, href = m.group(1), m.group(2)
        if not SAFE_HREF.match(href):
            raise MarkupError(f"link not allowed: {href!r} (only /paths, #anchors and tel:)")
        if href.startswith("/"):
            href = prefix + href
        out.append(f'<a href="{escape(href)}">{_bold(escape(label))}</a>')
        pos = m.end()
    out.append(_bold(escape(text[pos:])))
    return "".join(out)


def _bold(escaped: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", escaped)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "s"


def render(body: str, prefix: str = "") -> SafeString:
    """``body`` as HTML. ``prefix`` (``""``, ``"/en"``, ``"/qu"``) goes before site links."""
    html: list[str] = []
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    for block in blocks:
        lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("### ") or first.startswith("## "):
            level = 3 if first.startswith("### ") else 2
            text = first[level + 1:].strip()
            html.append(f'<h{level} id="{_slug(text)}">{_inline(text, prefix)}</h{level}>')
            lines = lines[1:]
            if not lines:
                continue
        if all(ln.startswith("- ") for ln in lines):
            items = "".join(f"<li>{_inline(ln[2:].strip(), prefix)}</li>" for ln in lines)
            html.append(f"<ul>{items}</ul>")
        elif all(ln.startswith("> ") for ln in lines):
            html.append(f'<p class="muted source">{_inline(" ".join(ln[2:].strip() for ln in lines), prefix)}</p>')
        elif all(ln.startswith("!! ") for ln in lines):
            html.append(f'<p class="card callout">{_inline(" ".join(ln[3:].strip() for ln in lines), prefix)}</p>')
        else:
            if any(ln.startswith(("- ", "> ", "!! ", "#")) for ln in lines):
                raise MarkupError(f"mixed block, separate it with a blank line: {lines[0][:40]!r}")
            html.append(f"<p>{_inline(' '.join(ln.strip() for ln in lines), prefix)}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece above is escaped
