"""Insert many rows with one prepared statement (``executemany``), for the importer.

Why not ``bulk_create``: on SQLite Django splits a bulk insert into statements of at most
999 parameters (about 50 participants each) and prepares every value through the field
machinery; measured here at about 3,000 participants/s with their history rows, far below
the import budget of 25,000 rows/s. This writer prepares each column once (dates through
the backend's adapter, encrypted fields through the key ring, with the same per-column
context ``EncryptedTextField`` uses) and sends all rows of a batch in one ``executemany`` on
SQLite, or one ``COPY … FROM STDIN`` on PostgreSQL (through psycopg,
which fires the same triggers and checks the same constraints as an INSERT).

It writes exactly the model's concrete columns, so a field added to the model is either
given a value by the caller or gets its declared default; a field without a default
that the caller forgets raises ``KeyError`` at once, never a half-written row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

from ruta.lib.crypto import keyring
from ruta.lib.fields import EncryptedTextField


def _converter(field: models.Field) -> Callable[[Any], Any]:  # type: ignore[type-arg]
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        context = field.context()
        ring = keyring()
        return lambda v: None if v is None else ring.encrypt(str(v), context)
    if isinstance(field, models.DateTimeField):
        return _last_value_cached(ops.adapt_datetimefield_value)  # the import's one timestamp
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return _last_value_cached(lambda v: field.get_db_prep_value(v, connection))  # the import's one id
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return _same


def _same(value: Any) -> Any:
    return value


def _last_value_cached(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    last: list[Any] = [object(), None]

    def cached(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return cached


class RowWriter:
    """Prepared once per model; ``insert(rows)`` writes dicts keyed by column attname."""

    def __init__(self, model: type[models.Model], *, skip: Iterable[str] = ()) -> None:
        skipped = set(skip)
        self.fields = [f for f in model._meta.concrete_fields
                       if not (f.primary_key and isinstance(f, models.AutoField)) and f.attname not in skipped]
        converters = [_converter(f) for f in self.fields]
        # Only the columns that need it are converted (most values go to the driver as they are).
        self.conversions = [(i, c) for i, c in enumerate(converters) if c is not _same]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.default is not NOT_PROVIDED:
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        params = []
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        conversions = self.conversions
        for row in rows:
            values = [row[name] if name in row else defaults[name] for name in names]
            for i, convert in conversions:
                values[i] = convert(values[i])
            params.append(values)
        if params:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(self.copy_sql) as copy:
                        for values in params:
                            copy.write_row(values)
                else:
                    cursor.executemany(self.sql, params)
        return len(params)
