"""Issue 8: a large import runs as a background job while staff pages are requested; every
request answers within 2 s and, on SQLite, no transaction of the import holds the write lock
longer than 2 s. The default size keeps the suite short; ``RUTA_IMPORT_LOAD_ROWS=300000``
runs the issue's full file and ``RUTA_IMPORT_LOAD_STRICT=1`` also asserts the 2 s answer time
(``python -m bench import_load`` prints the same figures)."""

from __future__ import annotations

import os

from django.db import connection

from bench import import_load


def test_staff_pages_answer_within_2_s_while_a_large_import_runs() -> None:
    rows = int(os.environ.get("RUTA_IMPORT_LOAD_ROWS", "30000"))
    figures = import_load.run(rows, postgres=connection.vendor == "postgresql")
    assert figures["status"] == "succeeded", figures
    assert figures["rows"] == rows and figures["created"] == rows and figures["attendance"] == rows
    assert figures["requests"] and figures["statuses"] == [200], figures
    if connection.vendor == "sqlite":  # the design: staged batches never hold the write lock for long
        assert figures["longest_write_s"] < 2, figures
    # How long staff waited depends on the machine as much as on Ruta: measured by
    # `python -m bench import_load`, and asserted here only when asked for.
    if os.environ.get("RUTA_IMPORT_LOAD_STRICT"):
        assert figures["max_ms"] < 2000, figures
