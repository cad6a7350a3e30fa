"""A named cast: one user per role in organisation Alpha, and the same roles in Beta.

``cast.alpha[Role.CASEWORKER]`` owns Alpha's work; ``cast.beta[...]`` is the same role in
another organisation and must never see Alpha's confidential data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client, TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.models import Organisation, User
from ruta.accounts.roles import TWO_FACTOR_ROLES, OrganisationKind, Role

NAMES = {
    Role.ADMIN: "ada",
    Role.COORDINATOR: "carla",
    Role.FACILITATOR: "felipe",
    Role.CASEWORKER: "gina",
    Role.CASE_SUPERVISOR: "silvia",
    Role.ME_OFFICER: "mateo",
    Role.DONOR: "dora",
    Role.COUNSELLOR: "consuelo",
}


@dataclass
class Cast:
    alpha_org: Organisation
    beta_org: Organisation
    alpha: dict[str, User] = field(default_factory=dict)
    beta: dict[str, User] = field(default_factory=dict)

    def user(self, who: str) -> User | None:
        """A role ("caseworker"), a role in Beta ("beta:caseworker"), or "anonymous"."""
        if who == "anonymous":
            return None
        org, _, role = who.rpartition(":")
        return (self.beta if org == "beta" else self.alpha)[role]


def make_cast() -> Cast:
    alpha = Organisation.objects.create(name="Alpha", kind=OrganisationKind.NGO, district_id="170101")
    beta = Organisation.objects.create(name="Beta", kind=OrganisationKind.NGO, district_id="170201")
    cast = Cast(alpha_org=alpha, beta_org=beta)
    for role, name in NAMES.items():
        cast.alpha[role] = _user(name, role, alpha)
        cast.beta[role] = _user(f"beta_{name}", role, beta)
    return cast


def _user(username: str, role: str, org: Organisation) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery", role=role,
                                    organisation=org, first_name=username.title())
    if role in TWO_FACTOR_ROLES:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def login(client: Client, user: User, *, verified: bool = True) -> None:
    """Log in as ``user``; with ``verified`` the second factor counts as passed."""
    client.force_login(user)
    if verified and user.needs_two_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


class BaseTestCase(TestCase):
    """Alpha's users by role: ``self.caseworker`` (gina), ``self.case_supervisor`` (silvia)…"""

    cast: Cast
    admin: User
    coordinator: User
    facilitator: User
    caseworker: User
    case_supervisor: User
    me_officer: User
    donor: User
    counsellor: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        for role, user in cls.cast.alpha.items():
            setattr(cls, str(role), user)

    def login(self, user: User, **kwargs: Any) -> None:
        login(self.client, user, **kwargs)
