"""Donor-report PDFs are written by the background worker (WeasyPrint takes seconds)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from ruta.jobs.actions import JobError, Progress, run_job, write_output
from ruta.jobs.models import Job
from ruta.program.models import Programme
from ruta.reports import render as rendering
from ruta.reports.donor import PeriodError, build, parse_period


@task()
def donor_pdf(job_id: str, programme_id: int, start: str, end: str) -> str:
    def work(job: Job, progress: Progress) -> dict[str, Any]:
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            raise JobError(_("This programme no longer exists."))
        try:
            period = parse_period(programme, start, end)
        except PeriodError as exc:
            raise JobError(str(exc)) from None
        progress(0, 2, _("Computing the figures"), force=True)
        report = build(programme, period)
        progress(1, 2, _("Writing the PDF"), force=True)
        write_output(job, ".pdf", rendering.pdf(report))
        progress(2, 2, force=True)
        return {"file": {"suffix": ".pdf", "name": rendering.filename(programme, period, "pdf"),
                         "content_type": "application/pdf"}}

    return run_job(job_id, work)
