"""Who may read and write donor reports: the one place for this app's access rules.

- Coordinators, M&E officers and donors read the donor report of the programmes they may
  see (``ruta.program.policy.programmes_for``: their organisation's, or for donors the
  ones they fund). The report only ever holds suppressed aggregates.
- The coordinator writes the narrative.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ruta.accounts.models import User
from ruta.accounts.policy import role_in
from ruta.accounts.roles import Role
from ruta.program.models import Programme
from ruta.program.policy import programmes_for

can_read_reports = role_in(Role.COORDINATOR, Role.ME_OFFICER, Role.DONOR)
can_edit_narrative = role_in(Role.COORDINATOR)
# The DHIS2 export (the report's published figures in DHIS2's format): the monitoring officer.
can_export_dhis2 = role_in(Role.ME_OFFICER, Role.COORDINATOR)


def get_report_programme_for_user(user: User, pk: int) -> Programme:
    return get_object_or_404(programmes_for(user), pk=pk)
