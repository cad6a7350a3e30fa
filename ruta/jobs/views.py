"""The page that follows a job: progress while it runs (htmx polls the status fragment every
second; without JavaScript the page refreshes itself), then its result."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.http import url_has_allowed_host_and_scheme

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.jobs.actions import job_dir
from ruta.jobs.policy import can_follow_jobs, get_job_for_user


def _result_template(kind: str) -> Any:
    """A kind ``app.name`` shows its result with ``app/jobs/name.html``, when the app has one."""
    app, _sep, name = kind.partition(".")
    try:
        return get_template(f"{app}/jobs/{name}.html")
    except TemplateDoesNotExist:
        return None


def _context(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> dict[str, object]:
    job = get_job_for_user(request.user, job_id)
    back = job.back_url if url_has_allowed_host_and_scheme(job.back_url, allowed_hosts=None) else ""
    template = _result_template(job.kind)
    return {"job": job, "back_url": back, "result_template": template.template if template else None}


@staff_view(can_follow_jobs, deny=404)
def job(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    return render(request, "jobs/job.html", _context(request, job_id))


@staff_view(can_follow_jobs, deny=404)
def status(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    return render(request, "jobs/_status.html", _context(request, job_id))


@staff_view(can_follow_jobs, deny=404)
def download(request: AuthenticatedHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    output = job.result.get("file") if job.status == job.Status.SUCCEEDED else None
    if not output:
        raise Http404
    path = job_dir() / f"{job.id}{output['suffix']}"
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=output["name"],  # type: ignore[return-value]
                        content_type=output["content_type"])
