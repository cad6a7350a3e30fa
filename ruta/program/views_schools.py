"""The list of schools participants are registered in (coordinator and M&E officer): MINEDU's
padrón as loaded on install, a newer padrón imported, a school added by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.program import actions
from ruta.program.forms import PadronForm, SchoolForm
from ruta.program.models import School
from ruta.program.policy import can_manage_programme


def _errors(form: SchoolForm | PadronForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@staff_view(can_manage_programme)
def schools(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    which = request.POST.get("form") if request.method == "POST" else None
    add_form = SchoolForm(request.POST if which == "school" else None, user=user)
    padron_form = PadronForm(request.POST if which == "padron" else None, request.FILES if which == "padron" else None)
    if which == "school" and add_form.is_valid():
        d = add_form.cleaned_data
        try:
            school = actions.add_school(name=d["name"], district_id=d["district"].pk, level=d["level"],
                                        place=d.get("place") or "", actor=user)
        except ValidationError as exc:
            _errors(add_form, exc)
        else:
            messages.success(request, _("School %(name)s added.") % {"name": school.name})
            return redirect("program:schools")
    if which == "padron" and padron_form.is_valid():
        try:
            result = actions.import_padron(padron_form.cleaned_data["file"], source=padron_form.cleaned_data["source"],
                                           department=user.department_code, actor=user)
        except ValidationError as exc:
            _errors(padron_form, exc)
        else:
            messages.success(request, _("Padrón imported: %(added)d schools added, %(updated)d updated, "
                                        "%(skipped)d rows of other departments left out.")
                             % {"added": result.added, "updated": result.updated, "skipped": result.skipped})
            return redirect("program:schools")
    rows = (School.objects.filter(district__code__startswith=user.department_code)
            .select_related("district").order_by("district_id", "name"))
    status = 400 if which and not (add_form.is_bound and add_form.is_valid() or
                                   padron_form.is_bound and padron_form.is_valid()) else 200
    return render(request, "program/schools.html", {"schools": rows, "add_form": add_form,
                                                    "padron_form": padron_form}, status=status)
