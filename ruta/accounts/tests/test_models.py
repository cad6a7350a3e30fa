"""Facts about a user that several apps' forms rely on."""

from __future__ import annotations

import pytest

from ruta.accounts.models import Organisation, User
from ruta.accounts.roles import OrganisationKind, Role
from ruta.geo.codes import MADRE_DE_DIOS


@pytest.mark.django_db
def test_a_users_department_is_their_organisations_or_else_madre_de_dios() -> None:
    lima = Organisation.objects.create(name="Lima", kind=OrganisationKind.NGO, district_id="150101")
    assert User.objects.create(username="lucia", role=Role.FACILITATOR, organisation=lima).department_code == "15"
    assert User.objects.create(username="root", role=Role.ADMIN).department_code == MADRE_DE_DIOS
