from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.models import Organisation, User
from ruta.accounts.roles import TWO_FACTOR_ROLES, Role


@pytest.mark.django_db
def test_demo_commands_refuse_outside_demo_mode() -> None:
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_credentials", "--json")
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo")


@pytest.mark.django_db
@override_settings(RUTA_DEMO=True)
def test_demo_cast_is_idempotent_and_every_login_works() -> None:
    from ruta.accounts.demo import load_demo_cast

    load_demo_cast()
    load_demo_cast()
    assert Organisation.objects.count() == 6
    assert {u.role for u in User.objects.all()} == {str(r) for r in Role}
    out = StringIO()
    call_command("demo_credentials", "--json", stdout=out)
    logins = json.loads(out.getvalue())
    assert len(logins) == len(Role)
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert user.check_password(login["password"])
        if user.role in TWO_FACTOR_ROLES:
            import base64

            key = base64.b32decode(login["totp_secret"] + "=" * (-len(login["totp_secret"]) % 8))
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            assert device.verify_token(f"{TOTP(key).token():06d}")
        else:
            assert login["totp_secret"] is None
