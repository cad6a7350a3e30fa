from __future__ import annotations

from typing import Any

from ruta.accounts.roles import Role
from ruta.questions.actions import ask_question
from ruta.questions.models import PublishedAnswer
from ruta.testing.access import ANONYMOUS, UrlRule
from ruta.testing.cast import Cast

STAFF = frozenset({Role.COUNSELLOR, Role.CASE_SUPERVISOR})
COUNSELLOR = frozenset({Role.COUNSELLOR})


def _question(cast: Cast) -> dict[str, Any]:
    from ruta.questions.models import Question

    ask_question("¿Puedo denunciar sin mis papás? Tengo quince años.", "es")
    question = Question.objects.latest("pk")
    question.passed_at = question.asked_at  # visible to case supervisors too
    question.save(update_fields=["passed_at"])
    return {"pk": question.pk}


def _proposal(cast: Cast) -> dict[str, Any]:
    item = PublishedAnswer.objects.create(question_text="¿Puedo denunciar sola?", answer_text="Sí.",
                                          proposed_by=cast.alpha[Role.COUNSELLOR])
    return {"pk": item.pk}


RULES = [
    # Public forms: a GET shows the form; the POSTs are tested in test_questions.
    UrlRule("questions:ask", frozenset({ANONYMOUS})),
    UrlRule("questions:read", frozenset({ANONYMOUS})),
    UrlRule("questions:queue", STAFF, denied=404),
    UrlRule("questions:detail", STAFF, kwargs=_question, denied=404),
    UrlRule("questions:pass_on", COUNSELLOR, kwargs=_question, method="post", ok=302, denied=404),
    UrlRule("questions:publish", COUNSELLOR, kwargs=_question, denied=404),
    UrlRule("questions:proposal", STAFF, kwargs=_proposal, denied=404),
]
