"""Statistics screens: importing the CEM register (a background job followed on the job page)."""

from __future__ import annotations

import uuid

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ruta.accounts.policy import staff_view
from ruta.jobs.policy import get_job_for_user
from ruta.stats.actions import UploadRefused, awaiting_confirmation, confirm_cem_import, start_cem_import
from ruta.stats.models import CemLoad
from ruta.stats.policy import can_import_cem

MAX_UPLOAD_BYTES = 1 << 30  # a national yearly file is a few hundred megabytes


class CemUploadForm(forms.Form):
    file = forms.FileField(label=_("Register file (CSV, XLSX or SPSS .sav)"))


def _loads() -> list[CemLoad]:
    return list(CemLoad.objects.filter(status=CemLoad.Status.CURRENT).order_by("-year"))


@staff_view(can_import_cem)
def import_cem(request: HttpRequest) -> HttpResponse:
    form = CemUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 1 GB."))
        else:
            try:
                job = start_cem_import(upload, user=request.user, back_url=reverse("stats:import_cem"))
            except UploadRefused as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("jobs:job", job_id=job.pk)
    return render(request, "stats/import_cem.html", {"form": form, "loads": _loads()},
                  status=422 if form.errors else 200)


@require_POST
@staff_view(can_import_cem, deny=404)
def import_confirm(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    if not awaiting_confirmation(job):
        raise Http404
    new = confirm_cem_import(job, user=request.user)
    return redirect("jobs:job", job_id=new.pk)
