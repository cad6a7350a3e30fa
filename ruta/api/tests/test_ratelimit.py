from __future__ import annotations

import json

from django.test import TestCase, override_settings

from ruta.api.api import public_api_limit


class ApiRateLimitTest(TestCase):
    def setUp(self) -> None:
        public_api_limit.reset()
        self.addCleanup(public_api_limit.reset)

    def _get(self, address: str = "198.51.100.7", lang: str = "es-pe"):  # type: ignore[no-untyped-def]
        return self.client.get("/api/v1/services", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=lang)

    def test_the_request_after_the_limit_gets_429_with_a_reason(self) -> None:
        # One window throughout: on the real clock the 61 requests may straddle a minute's edge
        # (CI on PostgreSQL did), and the new window would let the last one through.
        public_api_limit.clock = lambda: 1000.0
        self.addCleanup(vars(public_api_limit).pop, "clock", None)
        for _ in range(public_api_limit.limit):
            assert self._get().status_code == 200
        r = self._get()
        assert r.status_code == 429
        assert r["Content-Type"].startswith("application/json")
        assert int(r["Retry-After"]) > 0
        assert "Demasiadas solicitudes" in json.loads(r.content)["detail"]
        assert "Too many requests" in json.loads(self._get(lang="en").content)["detail"]
        assert self._get("203.0.113.9").status_code == 200

    def test_after_the_window_requests_pass_again(self) -> None:
        now = [1000.0]
        public_api_limit.clock = lambda: now[0]
        self.addCleanup(setattr, public_api_limit, "clock", type(public_api_limit).clock)
        for _ in range(public_api_limit.limit + 1):
            self._get()
        assert self._get().status_code == 429
        now[0] += public_api_limit.per_seconds
        assert self._get().status_code == 200

    def test_the_health_check_is_never_limited(self) -> None:
        for _ in range(public_api_limit.limit + 1):
            self._get()
        assert self.client.get("/api/v1/health", REMOTE_ADDR="198.51.100.7").status_code == 200

    @override_settings(RUTA_BEHIND_PROXY=True, RUTA_PROXY_COUNT=1)
    def test_behind_a_proxy_clients_are_counted_apart(self) -> None:
        for _ in range(public_api_limit.limit + 1):
            self.client.get("/api/v1/services", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert self.client.get("/api/v1/services", REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200
