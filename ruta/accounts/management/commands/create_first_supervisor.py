from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ruta.accounts.approval import ApprovalError, create_first_supervisor
from ruta.accounts.links import LINK_VALID, set_password_url
from ruta.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an organisation's first case supervisor (nobody could approve one made in the admin) and "
        "print a single-use link, valid 24 hours, through which the person sets their own password. Never "
        "prints a password. Refuses when the organisation already has an active case supervisor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", required=True,
                            help="the organisation's id (as shown in the admin) or its exact name")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True, help="the person's own address")

    def handle(self, *args: Any, organisation: str, username: str, email: str, **options: Any) -> None:
        org = _organisation(organisation)
        try:
            user = create_first_supervisor(org, username=username.strip(), email=email.strip())
        except (ApprovalError, ValidationError) as e:
            raise CommandError(" ".join(getattr(e, "messages", [str(e)]))) from None
        hours = int(LINK_VALID.total_seconds() // 3600)
        self.stdout.write(f"Case supervisor {user.username} created for organisation {org.pk}.")
        self.stdout.write(f"Give this link to the person only; it works once, for {hours} hours:")
        self.stdout.write(set_password_url(user))


def _organisation(value: str) -> Organisation:
    value = value.strip()
    org = Organisation.objects.filter(pk=int(value)).first() if value.isdigit() else None
    org = org or Organisation.objects.filter(name=value).first()
    if org is None:
        raise CommandError(f"No organisation with id or name {value!r}.")
    return org
