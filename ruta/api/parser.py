"""The API's JSON parser: django-ninja's, refusing deeply nested bodies (``ruta.lib.jsonbody``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from ruta.lib import jsonbody


class BoundedJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        # Any ValueError here becomes django-ninja's 400 "Cannot parse request body".
        return jsonbody.loads(request.body)
