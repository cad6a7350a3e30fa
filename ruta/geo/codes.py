"""The UBIGEO codes Ruta's code names (docs/architecture.md, "Stable codes")."""

from __future__ import annotations

# Madre de Dios' department code: where Ruta works first, and where lists of districts open
# when nothing else says which department.
MADRE_DE_DIOS = "17"
