from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import translation

from ruta.accounts.demo import USERS, demo_password
from ruta.accounts.validators import RutaWordsValidator
from ruta.testing.cast import BaseTestCase

PASSWORD = "correct horse battery"
WEAK = ["Madrededios1", "promsex2025!", "Ruta-12345678", "Bosque de Alpha 2026 ok"]


class StaffPasswordTest(BaseTestCase):
    def _refused(self, password: str) -> list[str]:
        try:
            validate_password(password, self.facilitator)
        except ValidationError as e:
            return list(e.messages)
        return []

    def test_weak_staff_passwords_are_refused(self) -> None:
        for password in WEAK:
            assert self._refused(password), password

    def test_short_passwords_are_refused(self) -> None:
        assert any("12" in m for m in self._refused("q7#Lm2vX!p9"))

    def test_strong_passwords_pass(self) -> None:
        for password in ("tortuga taricaya nada 48 veces", "Xq7!mvP2#rLz9w"):
            assert self._refused(password) == [], password

    def test_a_word_inside_another_is_not_a_ruta_word(self) -> None:
        RutaWordsValidator().validate("mi fruta preferida es el aguaje 7", self.facilitator)

    def test_the_reasons_are_in_spanish_and_english(self) -> None:
        with translation.override("es-pe"):
            spanish = " ".join(self._refused("promsex2025!"))
        with translation.override("en"):
            english = " ".join(self._refused("promsex2025!"))
        assert "no debe contener" in spanish and "adivinar" in spanish.lower(), spanish
        assert "must not contain" in english and "guessable" in english, english

    def test_the_password_change_page_refuses_a_weak_password_in_spanish(self) -> None:
        self.login(self.facilitator)
        r = self.client.post("/clave/", {"old_password": PASSWORD, "new_password1": "Madrededios1",
                                         "new_password2": "Madrededios1"})
        assert r.status_code == 200
        assert "no debe contener" in r.content.decode()
        self.facilitator.refresh_from_db()
        assert self.facilitator.check_password(PASSWORD)


class DemoPasswordTest(TestCase):
    def test_demo_passwords_are_long_and_hard_to_guess(self) -> None:
        # Demo passwords are set directly (never through the form); they start with "Ruta-",
        # which the word rule would refuse, but their 12 random characters make them strong.
        for username, *_rest in USERS:
            for validator in get_default_password_validators():
                if not isinstance(validator, RutaWordsValidator):
                    validator.validate(demo_password(username))


@pytest.mark.parametrize("password", WEAK[:3])
def test_the_word_rule_alone_refuses_ruta_words(password: str) -> None:
    with pytest.raises(ValidationError):
        RutaWordsValidator().validate(password)
