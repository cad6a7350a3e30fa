"""Screens for imports, duplicate review and exports. Views parse and check; the work is in
``imports``, ``dedupe`` and ``exports``; the rules are in ``policy``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.audit.actions import record_access
from ruta.exports.actions import claimable, release, request_export, watermark
from ruta.exports.forms import PurposeField
from ruta.exports.models import Kind as ExportKind
from ruta.exports.models import PersonExport
from ruta.lib.ids import parse_id
from ruta.program import dedupe, exports
from ruta.program.imports.importer import COLUMNS, MAX_UPLOAD_BYTES, Kind
from ruta.program.imports.jobs import start_import
from ruta.program.imports.template import template_csv, template_xlsx
from ruta.program.models import Programme
from ruta.program.policy import can_export_records, can_import, can_merge_duplicates, get_io_programme_for_user


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=Kind.CHOICES,
                             widget=forms.RadioSelect, initial=Kind.PARTICIPANTS)
    file = forms.FileField(label=gettext_lazy("File (XLSX or CSV)"),
                           help_text=gettext_lazy("Ruta's template or a KoboToolbox export of Ruta's form, "
                                                  "up to 60 MB."))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than {mb} MB. Split it into several files.")
                                        .format(mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return upload


def _declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


UPLOAD_MARGIN = 1024 * 1024  # the form's other fields and the multipart boundaries


class _LimitedUpload(FileUploadHandler):
    """Stops storing an upload once it passes the limit (a client may not declare its size)."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.ruta_upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(request: HttpRequest, programme: Programme) -> HttpResponse:
    refusal = _("The file is larger than {mb} MB. Split it into several files.").format(
        mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    return render(request, "program/io/import.html",
                  {"programme": programme, "form": ImportForm(), "columns": COLUMNS, "refusal": refusal}, status=413)


@csrf_exempt  # only so that the upload handlers can be set before the body is read: see _import_data
@staff_view(can_import, deny=404)
def import_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_io_programme_for_user(request.user, pk)
    if request.method == "POST":
        if _declared_size(request) > MAX_UPLOAD_BYTES + UPLOAD_MARGIN:
            return _too_large(request, programme)  # nothing read, nothing changed
        request.upload_handlers = [_LimitedUpload(request, MAX_UPLOAD_BYTES + UPLOAD_MARGIN), *request.upload_handlers]
    return _import_data(request, programme)


@csrf_protect
def _import_data(request: AuthenticatedHttpRequest, programme: Programme) -> HttpResponse:
    """A valid upload is kept for the worker, which imports it; the job page follows it."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if getattr(request, "ruta_upload_too_large", False):
            return _too_large(request, programme)
        if form.is_valid():
            job = start_import(programme, form.cleaned_data["kind"], form.cleaned_data["file"], user=request.user,
                               back_url=reverse("program:import", kwargs={"pk": programme.pk}))
            return redirect("jobs:job", job_id=job.pk)
    else:
        form = ImportForm()
    return render(request, "program/io/import.html", {"programme": programme, "form": form, "columns": COLUMNS},
                  status=422 if form.errors else 200)


@staff_view(can_import)
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in COLUMNS or fmt not in exports.FORMATS:
        raise Http404
    name = f"ruta-{kind}-template.{fmt}"
    if fmt == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(kind),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view(can_merge_duplicates, deny=404)
def duplicates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_io_programme_for_user(request.user, pk)
    page = dedupe.suggestion_page(programme, parse_id(request.GET.get("page", "1")) or 1)
    # The page shows names decrypted: who looked at them is on record.
    record_access(request.user, "program.duplicates.view", programme,
                  detail={"pairs": len(page.suggestions), "page": page.number})
    return render(request, "program/io/duplicates.html",
                  {"programme": programme, "suggestions": page.suggestions, "page": page})


def _pair(request: HttpRequest) -> tuple[int, int]:
    first, second = parse_id(request.POST.get("first")), parse_id(request.POST.get("second"))
    if first is None or second is None:
        raise Http404
    return first, second


@require_POST
@staff_view(can_merge_duplicates, deny=404)
def merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_io_programme_for_user(request.user, pk)
    first, second = _pair(request)
    keep = request.POST.get("keep")
    if keep not in ("first", "second"):
        messages.error(request, _("Choose which record to keep."))
        return redirect("program:duplicates", pk=programme.pk)
    keep_id, retire_id = (first, second) if keep == "first" else (second, first)
    try:
        summary = dedupe.merge_participants(programme, keep_id, retire_id, user=request.user)
    except dedupe.MergeRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Merged: {moved} attendance records and {results} test results moved to the "
                                    "record kept.").format(moved=summary["attendance_moved"],
                                                           results=summary["results_moved"]))
    return redirect("program:duplicates", pk=programme.pk)


@require_POST
@staff_view(can_merge_duplicates, deny=404)
def not_duplicate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_io_programme_for_user(request.user, pk)
    first, second = _pair(request)
    try:
        dedupe.mark_not_duplicate(programme, first, second, user=request.user)
    except dedupe.MergeRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Noted: these are two different people."))
    return redirect("program:duplicates", pk=programme.pk)


@staff_view(can_export_records, deny=404)
def export_index(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_io_programme_for_user(request.user, pk)
    datasets = [(key, exports.DATASET_LABELS[key], exports.DATASETS[key]) for key in exports.DATASETS]
    return render(request, "program/io/exports.html", {"programme": programme, "datasets": datasets})


class ExportPurposeForm(forms.Form):
    purpose = PurposeField()


def _send_records(request: AuthenticatedHttpRequest, programme: Programme, person_export: PersonExport) -> HttpResponse:
    dataset, fmt = person_export.scope["dataset"], person_export.scope["format"]
    mark = watermark(person_export)
    record_access(request.user, "program.export", programme, detail={"dataset": dataset, "format": fmt,
                                                                     "export": person_export.pk})
    release(request.user, person_export, None)
    name = exports.filename(programme, dataset, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(dataset, programme, watermark=mark),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response  # type: ignore[return-value]
    chosen = list(exports.DATASETS) if dataset == "all" else [dataset]
    return FileResponse(exports.write_xlsx(programme, chosen, watermark=mark), as_attachment=True,  # type: ignore[return-value]
                        filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@staff_view(can_export_records, deny=404)
def export(request: AuthenticatedHttpRequest, pk: int, dataset: str, fmt: str) -> HttpResponse:
    """Person-level records: a purpose first, a watermark in the file, the sixth export within a
    day waits for a coordinator's approval (``ruta.exports``)."""
    programme = get_io_programme_for_user(request.user, pk)
    if fmt not in exports.FORMATS or (dataset not in exports.DATASETS and dataset != "all"):
        raise Http404
    if dataset == "all" and fmt == "csv":
        raise Http404
    if request.method == "POST" and "export_id" in request.POST:
        value = request.POST["export_id"]
        approved = PersonExport.objects.filter(pk=int(value), requested_by_id=request.user.pk,
                                               kind=ExportKind.PROGRAMME_RECORDS).first() if value.isdigit() else None
        if approved is None or not claimable(request.user, approved) or approved.scope.get("programme") != programme.pk:
            raise Http404
        return _send_records(request, programme, approved)
    form = ExportPurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = reverse("program:export", kwargs={"pk": programme.pk, "dataset": dataset, "fmt": fmt})
        person_export = request_export(request.user, ExportKind.PROGRAMME_RECORDS, {
            "programme": programme.pk, "dataset": dataset, "format": fmt, "url": url}, form.cleaned_data["purpose"])
        if person_export.status == PersonExport.Status.WAITING:
            messages.info(request, _("This is your sixth export within 24 hours: it waits for a coordinator's "
                                     "approval. You will find it on the exports page."))
            return redirect("exports:list")
        return _send_records(request, programme, person_export)
    label = exports.DATASET_LABELS.get(dataset, _("Everything in one workbook"))
    return render(request, "program/io/export_purpose.html",
                  {"programme": programme, "form": form, "label": label, "fmt": fmt.upper()},
                  status=422 if form.errors else 200)


@staff_view(can_export_records)
def codebook(request: HttpRequest) -> HttpResponse:
    response = StreamingHttpResponse(exports.csv_lines("codebook", None), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ruta-codebook.csv"'
    return response  # type: ignore[return-value]
