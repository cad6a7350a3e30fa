"""The one answer to "which address is this client?", used by login lockouts and rate limits.

Without a proxy it is the connection's own address (``REMOTE_ADDR``): a client can write
any ``X-Forwarded-For`` it likes, so the header is ignored. Behind ``RUTA_PROXY_COUNT``
proxies that each append the address they saw (nginx's ``$proxy_add_x_forwarded_for``),
the client is the ``RUTA_PROXY_COUNT``-th address from the right of ``X-Forwarded-For``;
whatever the client wrote to the left of it is ignored. django-ipware parses the header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if not getattr(settings, "RUTA_BEHIND_PROXY", False) or not request.META.get(FORWARDED_FOR):
        return remote
    proxies: int = settings.RUTA_PROXY_COUNT
    # ipware counts the proxies listed in the header; the last proxy is REMOTE_ADDR, not listed.
    address, _routable = get_client_ip(
        request, proxy_count=proxies - 1, request_header_order=[FORWARDED_FOR], strict=False
    )
    return address or remote
