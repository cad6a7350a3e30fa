"""Who may do what with statistics: the one place for this app's access rules.

- The M&E officer imports the CEM register (a public, national data set shared by the
  whole instance).
- The M&E officer and the coordinator read the exact, unsuppressed register counts
  (operators' figures, never published as they are).
"""

from __future__ import annotations

from ruta.accounts.policy import role_in
from ruta.accounts.roles import Role

can_import_cem = role_in(Role.ME_OFFICER)
can_read_exact_counts = role_in(Role.ME_OFFICER, Role.COORDINATOR)
# Published (protected) statistics of the CEM register: the monitoring roles.
can_read_statistics = role_in(Role.COORDINATOR, Role.ME_OFFICER, Role.DONOR)
# The programme's own cases, de-identified and through the disclosure control, for the
# organisation of the person asking.
can_read_case_statistics = role_in(Role.CASE_SUPERVISOR, Role.ME_OFFICER)
