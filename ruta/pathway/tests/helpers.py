from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ruta.pathway.inputs import PlanInput

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def codes(result: dict[str, Any]) -> list[str]:
    return [s["code"] for s in result["steps"]]


def step(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in result["steps"] if s["code"] == code)


def warning_codes(result: dict[str, Any]) -> list[str]:
    return [w["code"] for w in result["warnings"]]


def case(**kwargs: Any) -> PlanInput:
    return PlanInput(**kwargs)
