"""The form that turns the pathway's plan into referrals: per step, take it or not, which
service, and the due time (the engine's, or the worker's adjustment)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases.forms import DATETIME_WIDGET

NO_SERVICE = ""
NO_DEADLINE_CHECK = timedelta(days=7)
MANDATORY_CHECK = timedelta(hours=24)


class ProposalForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to refer without consent"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with each referral. Only a case supervisor can authorise this."))

    def __init__(self, data: Any = None, *, steps: list[dict[str, Any]], existing: set[str], override: bool) -> None:
        super().__init__(data)
        self.steps = steps
        if not override:
            del self.fields["override_reason"]
        for step in steps:
            code = step["code"]
            self.fields[f"take_{code}"] = forms.BooleanField(
                label=step.get("title") or code, required=False, initial=code not in existing)
            choices = [(str(s["id"]), _service_label(s)) for s in step["services"]]
            self.fields[f"service_{code}"] = forms.ChoiceField(
                label=_("Service"), required=False, choices=[(NO_SERVICE, _("— choose later —")), *choices],
                initial=choices[0][0] if choices else NO_SERVICE)
            due = step.get("due_at")
            if isinstance(due, datetime):
                field = forms.DateTimeField(label=_("Due"), required=False, widget=DATETIME_WIDGET,
                                            initial=timezone.localtime(due))
            else:
                # No legal deadline: propose a check (sooner for a mandatory step) for the worker to adjust.
                mandatory = bool(step.get("mandatory"))
                check = MANDATORY_CHECK if mandatory else NO_DEADLINE_CHECK
                field = forms.DateTimeField(
                    label=_("Due"), required=False, widget=DATETIME_WIDGET,
                    initial=(timezone.localtime() + check).replace(second=0, microsecond=0),
                    help_text=_("No legal deadline: Ruta suggests following it up within 24 hours. Adjust it.")
                    if mandatory else _("No legal deadline: Ruta suggests following it up within a week. Adjust it."))
            self.fields[f"due_{code}"] = field

    def rows(self) -> list[dict[str, Any]]:
        return [{"step": s, "take": self[f"take_{s['code']}"], "service": self[f"service_{s['code']}"],
                 "due": self[f"due_{s['code']}"]} for s in self.steps]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for step in self.steps:
            code = step["code"]
            if data.get(f"take_{code}") and not data.get(f"due_{code}"):
                self.add_error(f"due_{code}", _("This step has no legal deadline: choose when it is due."))
        return data

    def chosen(self) -> list[dict[str, Any]]:
        from ruta.directory.models import Service

        out = []
        for step in self.steps:
            code = step["code"]
            if not self.cleaned_data.get(f"take_{code}"):
                continue
            sid = self.cleaned_data.get(f"service_{code}") or NO_SERVICE
            service = Service.objects.filter(pk=int(sid)).first() if sid.isdigit() else None
            out.append({"code": code, "due_at": self.cleaned_data[f"due_{code}"], "service": service,
                        "service_name": service.name if service else "",
                        "institution": str(step.get("institution") or ""),
                        "mandatory": bool(step.get("mandatory"))})
        return out


def _service_label(s: dict[str, Any]) -> str:
    parts = [str(s.get("name", ""))]
    if s.get("phone"):
        parts.append(str(s["phone"]))
    if s.get("open_24h"):
        parts.append("24 h")
    return " · ".join(p for p in parts if p)
