"""The demo cast: organisations in Madre de Dios and one user per role.

Passwords and TOTP keys are derived from the instance's SECRET_KEY, so each instance has
its own (nothing guessable is published) and `demo_credentials` can print them again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from ruta.accounts.models import Organisation, User
from ruta.accounts.roles import TWO_FACTOR_ROLES, OrganisationKind, Role

NGO = "PROMSEX — programa Madre de Dios (demo)"
ORGANISATIONS = [
    # (name, kind, district UBIGEO)
    (NGO, OrganisationKind.NGO, "170101"),
    ("I.E. de demostración N.º 1 — Puerto Maldonado", OrganisationKind.SCHOOL, "170101"),
    ("I.E. de demostración N.º 2 — Huepetuhe", OrganisationKind.SCHOOL, "170204"),
    ("Organización de mujeres de demostración — Laberinto", OrganisationKind.COMMUNITY_ORG, "170104"),
    ("Institución estatal de demostración — Tambopata", OrganisationKind.STATE, "170101"),
    ("Donante de demostración", OrganisationKind.DONOR, "170101"),
]
USERS = [
    # (username, role, first name, organisation)
    ("admin", Role.ADMIN, "Ana", NGO),
    ("coordinadora", Role.COORDINATOR, "Carmen", NGO),
    ("facilitador", Role.FACILITATOR, "Fernando", NGO),
    ("gestora", Role.CASEWORKER, "Gabriela", NGO),
    ("supervisora", Role.CASE_SUPERVISOR, "Sofía", NGO),
    ("monitoreo", Role.ME_OFFICER, "Miguel", NGO),
    ("donante", Role.DONOR, "Diana", "Donante de demostración"),
    ("consejera", Role.COUNSELLOR, "Consuelo", NGO),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    totp_secret: str | None


def _derive(purpose: str, username: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"ruta-demo:{purpose}:{username}".encode(), hashlib.sha256).digest()


def demo_password(username: str) -> str:
    return "Ruta-" + base64.b32encode(_derive("password", username)).decode()[:12].lower()


def demo_totp_key(username: str) -> bytes:
    return _derive("totp", username)[:20]


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(
            username=u,
            role=str(role),
            password=demo_password(u),
            totp_secret=base64.b32encode(demo_totp_key(u)).decode().rstrip("=") if role in TWO_FACTOR_ROLES else None,
        )
        for u, role, _first, _org in USERS
    ]


@transaction.atomic
def load_demo_cast() -> None:
    """Demo mode only (``load_demo`` refuses otherwise). The case accounts skip the supervisor's
    approval and get a password and TOTP key from SECRET_KEY; their approval is recorded as a
    demo approval by nobody, so the account events page says so."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ruta.accounts.approval import needs_approval, record_demo_approval

    orgs = {}
    for name, kind, district in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "district_id": district}
        )
    for username, role, first, org in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(demo_password(username))
        user.role, user.first_name, user.organisation = role, first, orgs[org]
        user.save()
        if needs_approval(role):
            record_demo_approval(user)
        if role in TWO_FACTOR_ROLES:
            TOTPDevice.objects.update_or_create(
                user=user, name="demo", defaults={"key": demo_totp_key(username).hex(), "confirmed": True}
            )
