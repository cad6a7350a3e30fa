"""The request and user types views and rules are written against.

``request.user`` is ``User | AnonymousUser`` to Django; once :func:`ruta.accounts.policy.staff_view`
has let a request through, it is always Ruta's :class:`~ruta.accounts.models.User`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from ruta.accounts.models import User

# Whoever sent a request, before anything checked that they logged in.
AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed ``staff_view``: a logged-in user of Ruta sent it."""

    user: User
