"""Who may do what with courses and live tests: the one place for this app's access rules.

- Facilitators and coordinators run live tests for the activities they may open in
  programme monitoring (``ruta.program.policy.get_activity_for_user``): they see the
  activity's roster names anyway. The M&E officer records sheets but works with codes, so
  the live screen (which shows the names participants pick) is not theirs.
- Participants on their phones have no account: their place is the token in the path.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import role_in
from ruta.accounts.roles import Role
from ruta.learning.models import LiveSession
from ruta.program.models import Activity, Programme
from ruta.program.policy import get_activity_for_user

can_run_tests = role_in(Role.FACILITATOR, Role.COORDINATOR)


def get_test_activity_for_user(user: User, pk: int) -> Activity:
    if not can_run_tests(user):
        raise Http404
    return get_activity_for_user(user, pk)


def get_session_for_user(user: User, pk: int) -> LiveSession:
    session = LiveSession.objects.select_related("activity", "version__course").filter(pk=pk).first()
    if session is None:
        raise Http404
    get_test_activity_for_user(user, session.activity_id)
    return session


# Reports: figures per question and objective, never a person; counts under 5 withheld.
can_see_reports = role_in(Role.FACILITATOR, Role.COORDINATOR, Role.ME_OFFICER)


def report_programmes(user: User) -> QuerySet[Programme]:
    from ruta.program.policy import recording_programmes_for

    return recording_programmes_for(user) if can_see_reports(user) else Programme.objects.none()
