"""Quechua only where it matters most in a crisis: the home, /si-te-paso/, /ayuda-cerca/ and
/navega-seguro/ at /qu/…; any other /qu/ address redirects to the same page in Spanish."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

QUECHUA_PAGES = frozenset({"/qu/", "/qu/si-te-paso/", "/qu/ayuda-cerca/", "/qu/navega-seguro/"})


class QuechuaCrisisPagesOnly:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (path == "/qu" or path.startswith("/qu/")) and path not in QUECHUA_PAGES:
            spanish = "/" + path[3:].lstrip("/")  # never "//host": no open redirect
            query = request.META.get("QUERY_STRING", "")
            return HttpResponseRedirect(spanish + (f"?{query}" if query else ""))
        return self.get_response(request)
