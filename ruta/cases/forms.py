"""Forms of case work. Each ``clean`` returns domain values; the actions apply them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases import cem
from ruta.cases.actions import ProposedReferral
from ruta.cases.classification import QUESTIONS, unanswered_before_yes
from ruta.cases.codes import (
    REFERRAL_STEP_CHOICES,
    ClosureReason,
    ConsentGiver,
    MotherTongue,
    ReferralStatus,
)
from ruta.cases.models import Incident, Survivor
from ruta.directory.models import Service
from ruta.exports.forms import PurposeField
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.geo.models import District
from ruta.lib.ids import IdMultipleChoiceField

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [(True, _("Yes")), (False, _("No"))]


def _districts() -> Any:
    return District.objects.filter(code__startswith=MADRE_DE_DIOS).order_by("name")


class SurvivorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Survivor
        fields = ["given_names", "family_names", "document_type", "document_number", "phone", "address",
                  "guardian_contact", "birth_date", "age_years", "sex", "gender_identity", "disability",
                  "mother_tongue", "district", "is_student", "unaccompanied_child"]
        widgets = {
            "given_names": forms.TextInput(attrs={"autocomplete": "off"}),
            "family_names": forms.TextInput(attrs={"autocomplete": "off"}),
            "document_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "address": forms.TextInput(attrs={"autocomplete": "off"}),
            "guardian_contact": forms.TextInput(attrs={"autocomplete": "off"}),
            "birth_date": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts()  # type: ignore[attr-defined]
        self.fields["mother_tongue"].choices = [("", "—"), *MotherTongue.choices]  # type: ignore[attr-defined]

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("birth_date") and data.get("age_years") is None:
            self.add_error("age_years", _("Give the birth date or, if it is not known, the age."))
        if data.get("age_years") is not None and data["age_years"] > 120:
            self.add_error("age_years", _("Check the age."))
        if data.get("document_number") and data.get("document_type") == "none":
            self.add_error("document_type", _("Say which document this number belongs to."))
        for name in ("given_names", "family_names", "document_number", "phone", "address", "guardian_contact"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip() or None
        return data


class IncidentForm(forms.ModelForm):  # type: ignore[type-arg]
    violence_types = forms.MultipleChoiceField(
        label=_("Types of violence (CEM register)"), required=True, widget=forms.CheckboxSelectMultiple,
        choices=[("sexual", _("Sexual")), ("physical", _("Physical")), ("psychological", _("Psychological")),
                 ("economic", _("Economic or property"))])

    class Meta:
        model = Incident
        fields = ["occurred_on", "occurred_time", "date_is_approximate", "reported_on",
                  "q_penetration", "q_sexual_contact", "q_physical", "q_forced_marriage", "q_denial",
                  "q_psychological", "aggressor_relationship", "aggressor_sex", "aggressor_age_group",
                  "perpetrator_count", "aggressor_lives_with_survivor", "first_time", "previous_incidents",
                  "previously_reported", "place_type", "district", "money_or_goods_exchanged", "narrative"]
        widgets = {
            "occurred_on": DATE_WIDGET,
            "reported_on": DATE_WIDGET,
            "occurred_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "narrative": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = _districts()  # type: ignore[attr-defined]
        for field, _type, question in QUESTIONS:
            self.fields[field] = forms.TypedChoiceField(
                label=str(question), choices=YES_NO, coerce=lambda v: v in (True, "True"), required=False,
                empty_value=None, widget=forms.RadioSelect)
        self.fields["first_time"].choices = [("", "—"), *cem.choices(cem.FIRST_TIME)]  # type: ignore[attr-defined]
        self.fields["aggressor_lives_with_survivor"].choices = cem.choices(cem.LIVES_WITH)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["violence_types"].initial = self.instance.violence_types

    @property
    def question_fields(self) -> list[Any]:
        return [self[f] for f, _t, _q in QUESTIONS]

    @property
    def other_fields(self) -> list[Any]:
        skip = {f for f, _t, _q in QUESTIONS}
        return [bf for bf in self if bf.name not in skip]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = unanswered_before_yes({f: data.get(f) for f, _t, _q in QUESTIONS})
        for field in missing:
            self.add_error(field, _("Answer the questions in order until one is “yes”."))
        occurred, reported = data.get("occurred_on"), data.get("reported_on")
        today = timezone.localdate()
        if occurred and occurred > today:
            self.add_error("occurred_on", _("The incident cannot be in the future."))
        if occurred and reported and reported < occurred:
            self.add_error("reported_on", _("The report cannot come before the incident."))
        if isinstance(data.get("narrative"), str):
            data["narrative"] = data["narrative"].strip() or None
        return data

    def incident_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "violence_types"}
        types = set(self.cleaned_data["violence_types"])
        for code in ("economic", "psychological", "physical", "sexual"):
            data[f"vt_{code}"] = code in types
        return data


class CaseFactsForm(forms.Form):
    reporter_role = forms.ChoiceField(label=_("Who identified the case"), choices=[])
    immediate_danger = forms.BooleanField(label=_("The survivor is in immediate danger"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.pathway.codes import ReporterRole

        self.fields["reporter_role"].choices = ReporterRole.choices  # type: ignore[attr-defined]


class RiskForm(forms.Form):
    risk_level = forms.TypedChoiceField(
        label=_("Risk level written on the official risk form"), required=False, coerce=int, empty_value=None,
        help_text=_("Copy it from the form filled in by the professional. Ruta never calculates it."))
    risk_assessed_on = forms.DateField(label=_("Date of the risk form"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_level"].choices = [("", _("Not assessed yet")), *cem.choices(cem.RISK_LEVEL)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("risk_level") and not data.get("risk_assessed_on"):
            self.add_error("risk_assessed_on", _("Give the date of the risk form."))
        if data.get("risk_assessed_on") and data["risk_assessed_on"] > timezone.localdate():
            self.add_error("risk_assessed_on", _("The date cannot be in the future."))
        return data


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect)
    child_assent = forms.BooleanField(label=_("The child gave assent"), required=False)
    for_services = forms.BooleanField(label=_("To receive services"), required=False)
    for_sharing = forms.BooleanField(label=_("To share information with the services referred to"), required=False)
    for_statistics = forms.BooleanField(label=_("To count in non-identifiable statistics"), required=False)
    given_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET)

    def clean_given_on(self) -> Any:
        day = self.cleaned_data["given_on"]
        if day is not None and day > timezone.localdate():  # None: the optional date at opening
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class OpeningConsentForm(ConsentForm):
    """Consent at opening is optional: it may be recorded later."""

    given_by = forms.ChoiceField(
        label=_("Consent given by"), required=False, widget=forms.RadioSelect,
        choices=[("", _("Not obtained yet")), *ConsentGiver.choices])
    given_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_by") and not data.get("given_on"):
            self.add_error("given_on", _("Give the date of the consent."))
        return data

    def consent(self) -> dict[str, Any] | None:
        """The consent to record with the new case, or None if it was not obtained yet."""
        d = self.cleaned_data
        if not d.get("given_by"):
            return None
        return {k: d[k] for k in ("given_by", "child_assent", "for_services", "for_sharing", "for_statistics",
                                  "given_on")}


class ReferralForm(forms.Form):
    step_code = forms.ChoiceField(label=_("Pathway step"), choices=REFERRAL_STEP_CHOICES)
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(  # type: ignore[type-var]
        label=_("Service"), queryset=None, required=False)  # type: ignore[arg-type]
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME_WIDGET)
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False)
    override_reason = forms.CharField(
        label=_("Reason to refer without consent (supervisor)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.directory.models import Service

        self.fields["service"].queryset = Service.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]


class ReferralUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME_WIDGET)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("Note for the timeline"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Date of the follow-up"), initial=timezone.localdate, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_at = forms.DateTimeField(label=_("Next follow-up"), required=False, widget=DATETIME_WIDGET,
                                  initial=lambda: (timezone.localtime() + timedelta(days=7)).replace(
                                      minute=0, second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("done_on") and data["done_on"] > timezone.localdate():
            self.add_error("done_on", _("The date cannot be in the future."))
        return data


class ClosureRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ClosureDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Approve the closure")),
                                              ("no", _("Return it to the case worker"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    workers: forms.ModelMultipleChoiceField[Any] = IdMultipleChoiceField(  # type: ignore[type-var]
        label=_("Assigned case workers"), queryset=None, required=False,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.accounts.models import User
        from ruta.accounts.roles import Role

        self.fields["workers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id, role=Role.CASEWORKER, is_active=True).order_by("username")
        self.fields["workers"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class ErasureRequestForm(forms.Form):
    confirm = forms.BooleanField(label=_("The survivor (or their guardian) asked for their data to be erased."))


class ErasureDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Approve: erase the data now")),
                                              ("no", _("Refuse: keep the data"))])


class ReassignForm(forms.Form):
    to_user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(  # type: ignore[type-var]
        label=_("Hand the open cases to"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, from_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.accounts.models import User
        from ruta.accounts.roles import Role

        self.fields["to_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(organisation_id=from_user.organisation_id, is_active=True,
                                role__in=(Role.CASEWORKER, Role.CASE_SUPERVISOR))
            .exclude(pk=from_user.pk).order_by("username"))
        self.fields["to_user"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class ExportForm(forms.Form):
    reported_from = forms.DateField(label=_("Reported from"), widget=DATE_WIDGET)
    reported_to = forms.DateField(label=_("Reported until"), widget=DATE_WIDGET)
    purpose = PurposeField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reported_from") and data.get("reported_to") and data["reported_to"] < data["reported_from"]:
            self.add_error("reported_to", _("The end comes before the start."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Case code, document number or name"), max_length=80)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ruta.cases.codes import CaseStatus

        self.fields["status"].choices = [("", _("Active")), ("all", _("All")), *CaseStatus.choices]  # type: ignore[attr-defined]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("The survivor (or their guardian) asked for their data to be erased."))


NO_SERVICE = ""
NO_DEADLINE_CHECK = timedelta(days=7)
MANDATORY_CHECK = timedelta(hours=24)


class ProposalForm(forms.Form):
    """The pathway's plan as referrals: per step, take it or not, which service, and the due time
    (the engine's, or the worker's adjustment)."""

    override_reason = forms.CharField(
        label=_("Reason to refer without consent"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with each referral. Only a case supervisor can authorise this."))

    def __init__(self, data: Any = None, *, steps: list[dict[str, Any]], existing: set[str], override: bool) -> None:
        super().__init__(data)
        if not override:
            del self.fields["override_reason"]
        self.missed = [s for s in steps if s.get("missed")]
        self.steps = steps = [s for s in steps if not s.get("missed")]
        for step in steps:
            code = step["code"]
            # Only what is mandatory or urgent is ticked; the worker adds the others.
            self.fields[f"take_{code}"] = forms.BooleanField(
                label=step.get("title") or code, required=False,
                initial=code not in existing and bool(step.get("urgent")))
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

    def chosen(self) -> list[ProposedReferral]:
        out = []
        for step in self.steps:
            code = step["code"]
            if not self.cleaned_data.get(f"take_{code}"):
                continue
            sid = self.cleaned_data.get(f"service_{code}") or NO_SERVICE
            service = Service.objects.filter(pk=int(sid)).first() if sid.isdigit() else None
            due = self.cleaned_data[f"due_{code}"]
            if step.get("deadline_hours") == 0:
                due = max(due, timezone.now())  # "now" stays now however long the page was open
            out.append(ProposedReferral(
                step_code=code, due_at=due, service=service,
                institution=str(step.get("institution") or ""), mandatory=bool(step.get("mandatory"))))
        return out


def _service_label(s: dict[str, Any]) -> str:
    parts = [str(s.get("name", ""))]
    if s.get("phone"):
        parts.append(str(s["phone"]))
    if s.get("open_24h"):
        parts.append("24 h")
    return " · ".join(p for p in parts if p)
