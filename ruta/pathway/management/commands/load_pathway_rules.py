from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from ruta.pathway.loader import load_rules, read_rules_file
from ruta.pathway.models import Caution, Rule, RulesRelease


class Command(BaseCommand):
    help = (
        "Bring the pathway rules up to the version shipped in ruta/pathway/data/rules.json. "
        "It overwrites administrators' edits of the same step codes, so it only reports what it "
        "would change unless given --for-real."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--for-real", action="store_true", help="write the changes")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_rules_file()
        known = set(Rule.objects.values_list("code", flat=True)) | set(Caution.objects.values_list("code", flat=True))
        shipped = [r["code"] for r in data["rules"]] + [c["code"] for c in data["cautions"]]
        self.stdout.write(f"Rules file version {data['version']}: {len(shipped)} rules and warnings, "
                          f"{len([c for c in shipped if c not in known])} new.")
        if not options["for_real"]:
            self.stdout.write("Dry run: nothing written. Run again with --for-real to load them.")
            return
        with transaction.atomic():
            counts = load_rules(Rule, Caution, RulesRelease, data)
        self.stdout.write(f"Loaded: {counts['created']} created, {counts['updated']} updated.")
