"""``POST /api/v1/pathway/plan``: the care-pathway plan for a case, as JSON. No login:
the input identifies nobody and the answer is public guidance."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from ninja import Router, Schema

from ruta.lib import jsonbody
from ruta.pathway.engine import plan
from ruta.pathway.inputs import parse_plan_input

router = Router(tags=["pathway"])


class PlanIn(Schema):
    age: int | None = None
    sex: Literal["female", "male", "intersex", "unknown"] = "unknown"
    violence_types: list[Literal["sexual", "physical", "psychological", "economic"]]
    hours_since_incident: int | None = None
    aggressor_relationship: Literal["partner", "ex_partner", "parent_or_caregiver", "other_family", "school_staff",
                                    "schoolmate", "acquaintance", "stranger", "unknown"] = "unknown"
    aggressor_lives_with_survivor: bool = False
    immediate_danger: bool = False
    is_student: bool = False
    reporter_role: Literal["self", "friend", "teacher", "health_worker", "family", "community", "authority"] = "self"
    district: str | None = None
    lang: Literal["es", "en"] = "es"


class ServiceOut(Schema):
    id: int
    name: str
    kind: str
    district: str | None
    phone: str
    open_24h: bool


class StepOut(Schema):
    code: str
    institution: str
    deadline_hours: int | None
    due_at: str | None
    mandatory: bool
    title: str
    why: str
    legal_basis: str
    confidence: Literal["verified", "secondary", "unverified"]
    services: list[ServiceOut]


class WarningOut(Schema):
    code: str
    text: str


class PlanOut(Schema):
    rules_version: str
    steps: list[StepOut]
    warnings: list[WarningOut]


class ErrorsOut(Schema):
    errors: dict[str, str]


_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": PlanIn.model_json_schema()}},
    }
}


@router.post(
    "/plan",
    response={200: PlanOut, 400: ErrorsOut},
    auth=None,
    summary="The care-pathway plan for a case: steps in order, deadlines, services, warnings",
    description=(
        "Bad input gets 400 with one message per field, in the language of `lang` (Spanish by default). "
        "Ruta never computes a risk level."
    ),
    openapi_extra=_BODY,
)
def pathway_plan(request: HttpRequest) -> Any:
    too_deep = False
    try:
        raw = jsonbody.loads(request.body or b"null")
    except jsonbody.TooDeep:
        raw, too_deep = None, True
    except (ValueError, UnicodeDecodeError):
        raw = None
    lang = raw.get("lang") if isinstance(raw, dict) and raw.get("lang") in ("es", "en") else None
    with translation.override("en" if lang == "en" else "es-pe" if lang == "es" else translation.get_language()):
        if too_deep:
            data, errors = None, {"__all__": translation.gettext("The body nests too deeply to be a plan request.")}
        elif not isinstance(raw, dict):
            data, errors = None, {"__all__": translation.gettext("The body must be a JSON object.")}
        else:
            data, errors = parse_plan_input(raw)
    if data is None:
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(plan(data), json_dumps_params={"ensure_ascii": False})
