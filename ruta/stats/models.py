"""The CEM register as Ruta keeps it: one :class:`CemLoad` per year and imported file, and the
rows of that load (:class:`CemRecord`), holding stable codes only (``register.FIELDS``).

A load's rows are written in short batches while it is ``staging`` (invisible to every
figure); the import then makes it ``current`` and the year's previous load ``superseded`` in
one short transaction, and deletes the superseded rows in batches. So no import holds the
database's write lock for long, and a failed or interrupted import leaves nothing visible.

The statistics pages and the exact counts read :class:`CemFigure`, a load's rows counted by
department, one variable and sex (``ruta.stats.figures``), written in the transaction that makes
the load current: a page never sees rows without their figures, and never reads the rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.lib.codes import MotherTongue, Sex


class CemLoad(models.Model):
    class Status(models.TextChoices):
        STAGING = "staging", _("Being imported")
        CURRENT = "current", _("Current")
        SUPERSEDED = "superseded", _("Replaced")

    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STAGING)
    # Order-independent digest of the kept rows: the same rows, in any encoding or order, match.
    digest = models.CharField(max_length=40, blank=True)
    rows = models.PositiveIntegerField(default=0)
    first_month = models.PositiveSmallIntegerField(null=True, blank=True)
    last_month = models.PositiveSmallIntegerField(null=True, blank=True)
    source_name = models.CharField(max_length=200, blank=True)  # the uploaded file's name
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=models.Q(status="current"),
                                    name="stats_one_current_load_a_year"),
        ]

    def __str__(self) -> str:
        return f"CEM {self.year} ({self.status}, {self.rows} rows)"


class CemRecord(models.Model):
    """One case opened at a CEM. No names, no free text, no exact age or date."""

    load = models.ForeignKey(CemLoad, on_delete=models.CASCADE, related_name="records")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()  # of intake (FECHA_INGRESO)
    department = models.CharField(max_length=2)  # UBIGEO of residence (DPTO_DOMICILIO)
    province = models.CharField(max_length=4, blank=True)
    ubigeo = models.CharField(max_length=6, blank=True)  # district of residence, when given
    cem = models.CharField(max_length=80, blank=True)  # the CEM's name
    sex = models.CharField(max_length=10, choices=Sex.choices)
    age_band = models.CharField(max_length=6)  # MIMP bands: 0-5, 6-11, 12-17, 18-29, 30-59, 60+
    violence_type = models.CharField(max_length=15)  # economic, psychological, physical, sexual
    relationship = models.CharField(max_length=10)  # partner, family, none, unknown
    risk = models.CharField(max_length=10)  # mild, moderate, severe, unknown
    complaint_filed = models.BooleanField(null=True)  # a complaint before the CEM intervened
    first_time = models.BooleanField(null=True)  # the aggressor's first attack on this person
    rape = models.BooleanField(default=False)
    mother_tongue = models.CharField(max_length=15, choices=MotherTongue.choices)

    class Meta:
        indexes = [models.Index(fields=["load", "department", "year", "month"])]

    def __str__(self) -> str:
        return f"CEM record {self.pk}"


class CemFigure(models.Model):
    """How many of a load's rows have one value of one variable, by department and sex (see
    ``ruta.stats.figures``). Counts of persons before any disclosure control: never shown as
    they are."""

    load = models.ForeignKey(CemLoad, on_delete=models.CASCADE, related_name="figures")
    department = models.CharField(max_length=2)
    variable = models.CharField(max_length=16)  # a CemRecord field, "place" or "rape"
    value = models.CharField(max_length=16, blank=True)
    sex = models.CharField(max_length=10)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["load", "department"])]

    def __str__(self) -> str:
        return f"CEM figure {self.variable}={self.value} ({self.n})"
