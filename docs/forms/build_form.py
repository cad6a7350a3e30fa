"""Write ``ruta_participantes.xlsx``, the XLSForm Ruta ships for KoboToolbox (or ODK Collect).

    python docs/forms/build_form.py

The form records one participant per submission and, when the activity number is given,
their attendance at that activity. Its field names are the columns of Ruta's participant
import (``ruta/program/imports/importer.py``); a test converts the form with pyxform and checks
that the two agree. Export the submissions from KoboToolbox as XLS or CSV with "XML values
and headers" and import them in Ruta as participants.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
FORM = HERE / "ruta_participantes.xlsx"

# The districts of Madre de Dios (INEI UBIGEO), as in /work/shared/domain/madre_de_dios.md.
DISTRICTS = [
    ("170101", "Tambopata"), ("170102", "Inambari"), ("170103", "Las Piedras"), ("170104", "Laberinto"),
    ("170201", "Manu"), ("170202", "Fitzcarrald"), ("170203", "Madre de Dios"), ("170204", "Huepetuhe"),
    ("170301", "Iñapari"), ("170302", "Iberia"), ("170303", "Tahuamanu"),
]

SURVEY_HEADER = ["type", "name", "label::Español (es)", "label::English (en)", "hint::Español (es)",
                 "hint::English (en)", "required", "relevant", "constraint", "constraint_message::Español (es)",
                 "constraint_message::English (en)", "calculation", "appearance"]
CODE_RULE = "regex(., '^[A-Za-z0-9][A-Za-z0-9._/-]*$')"
SURVEY = [
    ["start", "start"], ["end", "end"], ["today", "today"],
    ["integer", "activity_id", "Número de la actividad en Ruta", "Activity number in Ruta",
     "Está en la página de la actividad. Déjelo vacío si solo registra a la persona.",
     "Shown on the activity's page. Leave it empty to register the person only.", "no", "", ". > 0",
     "Debe ser un número positivo", "Must be a positive number"],
    ["text", "participant_code", "Código del participante", "Participant code",
     "Código seudónimo, único en el programa. Nunca el nombre ni el DNI.",
     "Pseudonymous code, unique in the programme. Never the name or ID number.", "yes", "", CODE_RULE,
     "Solo letras, números, puntos y guiones, sin espacios", "Letters, digits, dots and dashes only, no spaces"],
    ["select_one sex", "sex", "Sexo", "Sex", "", "", "yes"],
    ["select_one yes_no", "knows_birth_date", "¿Conoce su fecha de nacimiento?", "Is the birth date known?", "", "",
     "yes"],
    ["date", "birth_date", "Fecha de nacimiento", "Birth date", "", "", "yes", "${knows_birth_date} = 'yes'",
     ". < today()", "La fecha debe ser anterior a hoy", "The date must be before today"],
    ["integer", "age", "Edad (años cumplidos)", "Age (completed years)", "", "", "yes",
     "${knows_birth_date} = 'no'", ". >= 5 and . <= 110", "Entre 5 y 110 años", "Between 5 and 110 years"],
    ["calculate", "age_years", "", "", "", "", "", "", "", "", "",
     "if(${knows_birth_date} = 'yes', int((decimal-date-time(today()) - decimal-date-time(${birth_date})) "
     "div 365.25), ${age})"],
    ["select_one group", "group", "Grupo", "Stakeholder group", "", "", "yes"],
    ["select_one district", "district", "Distrito de residencia", "District of residence", "", "", "yes", "", "",
     "", "", "", "minimal"],
    ["text", "organisation", "Institución educativa u organización", "School or organisation", "", "", "no"],
    ["select_one yes_no", "guardian_consent", "¿Madre, padre o apoderado dio su consentimiento?",
     "Did a parent or guardian consent?", "Obligatorio para menores de 18 años.", "Required for under-18s.",
     "yes", "${age_years} < 18", ". = 'yes'", "Sin consentimiento no se registra a un menor de edad",
     "A minor is not registered without consent"],
    ["text", "name", "Nombre (opcional)", "Name (optional)",
     "Ruta lo guarda cifrado y solo lo usa para encontrar registros duplicados.",
     "Ruta stores it encrypted and uses it only to find duplicate records.", "no"],
]
CHOICES_HEADER = ["list_name", "name", "label::Español (es)", "label::English (en)"]
CHOICES = [
    ["sex", "female", "Mujer", "Female"], ["sex", "male", "Hombre", "Male"],
    ["sex", "intersex", "Intersexual", "Intersex"], ["sex", "unknown", "No sabe / prefiere no decir", "Unknown"],
    ["yes_no", "yes", "Sí", "Yes"], ["yes_no", "no", "No", "No"],
    ["group", "youth", "Joven (10–24)", "Young person (10–24)"], ["group", "teacher", "Docente", "Teacher"],
    ["group", "authority", "Autoridad local", "Local authority"],
    ["group", "community_org", "Organización comunitaria", "Community organisation"],
    ["group", "family", "Familia", "Family member"], ["group", "other", "Otro", "Other"],
    *[["district", code, name, name] for code, name in DISTRICTS],
]
SETTINGS = [["form_title", "form_id", "version", "default_language"],
            ["Ruta — participantes y asistencia", "ruta_participantes", "2026112701", "Español (es)"]]


def build(path: Path = FORM) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    for title, header, rows in (("survey", SURVEY_HEADER, SURVEY), ("choices", CHOICES_HEADER, CHOICES),
                                ("settings", SETTINGS[0], SETTINGS[1:])):
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    book.close()
    return path


if __name__ == "__main__":
    print(build())  # noqa: T201
