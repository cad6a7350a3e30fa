from __future__ import annotations

from django.test import RequestFactory

from ruta.lib.ratelimit import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _request(address: str = "198.51.100.7"):  # type: ignore[no-untyped-def]
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_the_request_after_the_limit_is_refused_until_the_window_ends() -> None:
    clock = Clock()
    limit = RateLimit("test", 3, per_seconds=60, clock=clock)
    assert [limit.hit(_request()) for _ in range(4)] == [True, True, True, False]
    assert 0 < limit.retry_after() <= 60
    assert limit.hit(_request("203.0.113.9"))  # another address has its own count
    clock.now += 60
    assert limit.hit(_request())


def test_no_address_is_kept_after_its_window() -> None:
    clock = Clock()
    limit = RateLimit("test", 3, per_seconds=60, clock=clock)
    for i in range(50):
        limit.hit(_request(f"198.51.100.{i}"))
    assert limit.tracked() == 50
    clock.now += 60
    limit.hit(_request("203.0.113.9"))
    assert limit.tracked() == 1
    clock.now += 60
    assert limit.tracked() == 0


def test_addresses_are_kept_only_as_keyed_hashes() -> None:
    limit = RateLimit("test", 3, per_seconds=60)
    limit.hit(_request("198.51.100.7"))
    assert "198.51.100.7" not in repr(limit.__dict__)


def test_limiters_with_different_names_count_apart() -> None:
    clock = Clock()
    a, b = RateLimit("a", 1, per_seconds=60, clock=clock), RateLimit("b", 1, per_seconds=60, clock=clock)
    assert a.hit(_request()) and b.hit(_request())
    assert not a.hit(_request())
