"""Erase identifying data past each organisation's retention period (a dry run unless --for-real)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.accounts.models import Organisation
from ruta.audit.actions import record_access
from ruta.retention.actions import apply_retention


class Command(BaseCommand):
    help = "Erase identifying data past the retention periods. Without --for-real, only counts (changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--for-real", action="store_true", help="erase (and audit) instead of only counting")

    def handle(self, *args: Any, for_real: bool = False, **options: Any) -> None:
        outcomes = apply_retention(for_real=for_real)
        names = dict(Organisation.objects.values_list("id", "name"))
        verb = "erased" if for_real else "due (dry run, nothing changed)"
        for o in outcomes:
            cases = str(o.cases) if o.cases_on else "off"
            people = str(o.participants) if o.participants_on else "off"
            self.stdout.write(f"organisation {o.organisation_id} ({names.get(o.organisation_id, '?')}): "
                              f"closed cases {verb}: {cases}; participants {verb}: {people}")
        without = Organisation.objects.exclude(pk__in=[o.organisation_id for o in outcomes]).count()
        if without:
            self.stdout.write(f"{without} organisation(s) have no retention period set (off).")
        total_cases, total_people = sum(o.cases for o in outcomes), sum(o.participants for o in outcomes)
        self.stdout.write(f"total {verb}: {total_cases} closed case(s), {total_people} participant(s)")
        if for_real:
            record_access(None, "retention.applied", detail={"cases": total_cases, "participants": total_people})
