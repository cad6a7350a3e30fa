"""Demo data: a narrative for the demo programme's first quarter and for its whole period,
written as a coordinator would (labelled "demo"; it names no one and states no official fact).
Idempotent: an existing narrative is left as it is."""

from __future__ import annotations

from typing import Any

from ruta.accounts.models import User
from ruta.program.models import Programme
from ruta.reports.actions import save_narrative
from ruta.reports.donor import quarters
from ruta.reports.models import DonorNarrative

TEXTS = {
    "summary": (
        "(Texto de demostración) Durante el periodo se realizaron talleres con estudiantes de instituciones "
        "educativas de Tambopata, Inambari, Laberinto y Huepetuhe, y capacitaciones para docentes, autoridades "
        "locales y organizaciones comunitarias sobre la ruta de atención frente a la violencia sexual y de género."
    ),
    "achievements": (
        "(Demostración) Se consolidó el trabajo con las instituciones educativas de Puerto Maldonado y se "
        "incorporaron sesiones entre pares conducidas por jóvenes capacitados en trimestres anteriores."
    ),
    "challenges": (
        "(Demostración) Las lluvias y el estado de las vías limitaron el acceso a los distritos de Manu y "
        "Tahuamanu; se reprogramaron las sesiones y se coordinó con los centros educativos para usar sus horarios "
        "de tutoría."
    ),
    "next_steps": (
        "(Demostración) Ampliar la réplica entre pares en Tahuamanu y aplicar la prueba de salida a los grupos que "
        "completaron el ciclo de sesiones."
    ),
}


def load(stdout: Any) -> None:
    from ruta.program.demo import NAME

    programme = Programme.objects.filter(name=NAME).first()
    if programme is None:
        stdout.write("reports: no demo programme, no narrative")
        return
    author = User.objects.filter(username="coordinadora").first()
    if author is None:
        stdout.write("reports: no demo coordinator, no narrative")
        return
    periods = quarters(programme)
    added = 0
    for period in (periods[0], periods[-1]):
        if DonorNarrative.objects.filter(programme=programme, period_start=period.start,
                                         period_end=period.end).exists():
            continue
        save_narrative(programme, period, TEXTS, user=author)
        added += 1
    stdout.write(f"reports: {added} demo narratives")
