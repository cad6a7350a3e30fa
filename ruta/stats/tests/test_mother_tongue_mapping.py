"""The cases app's migration from CEM mother-tongue codes to Ruta's maps them as the register
import does (the test lives here: cases must not import stats)."""

from __future__ import annotations

import importlib

from ruta.lib.codes import MotherTongue
from ruta.stats import register


def test_the_migration_maps_old_register_codes_as_the_register_import_does() -> None:
    migration = importlib.import_module("ruta.cases.migrations.0005_mother_tongue_codes")
    expected = {k: str(v) for k, v in register.MOTHER_TONGUE.items()}
    assert {str(k): v for k, v in migration.CEM_TO_RUTA.items()} == expected
    # Going back gives every Ruta code a register code.
    assert set(migration.RUTA_TO_CEM) == set(MotherTongue.values)
