"""Demo data of the anonymous questions: two questions waiting, one with words of danger."""

from __future__ import annotations

from typing import Any

from ruta.questions.actions import ask_question
from ruta.questions.models import Question


def load(stdout: Any) -> None:
    if Question.objects.exists():
        return
    ask_question("¿Es normal que mi enamorado me pida la clave de mi celular? Se enoja si no se la doy.", "es")
    ask_question("Mi padrastro me pega y tengo miedo de volver a la casa.", "es")
    stdout.write("questions: 2 demo questions")
