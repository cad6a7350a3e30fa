from __future__ import annotations

from typing import Any

pytest_plugins = ["ruta.testing.browser"]


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Tests run over plain HTTP with a fast hasher; production keeps the real ones.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed
