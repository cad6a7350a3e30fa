from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(td: timedelta | None) -> str:
    """A span such as "2 d 5 h" or "3 h 20 min" (never negative)."""
    if td is None:
        return ""
    minutes = max(0, int(td.total_seconds() // 60))
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    return _("%(m)d min") % {"m": mins}


@register.simple_tag
def due_text(due_at: datetime | None, now: datetime) -> str:
    if due_at is None:
        return ""
    if due_at < now:
        return _("overdue by %(span)s") % {"span": duration(now - due_at)}
    return _("in %(span)s") % {"span": duration(due_at - now)}
