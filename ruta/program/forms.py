"""Forms of programme monitoring: each ``clean`` returns domain values, errors in the user's
language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.accounts.policy import organisation_id_of
from ruta.accounts.roles import Role
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.geo.models import District, Province
from ruta.lib.ids import IdMultipleChoiceField
from ruta.program.actions import NewParticipant
from ruta.program.indicators import Filters
from ruta.program.models import ActivityType, Instrument, Participant, Programme, School, Sex, StakeholderGroup


def date_input() -> forms.DateInput:
    """A phone's date picker: it shows only a value written 2025-03-10 (never the locale's 10/03/2025)."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def districts_near(user: User) -> QuerySet[District]:
    """The districts of the user's organisation's department (Madre de Dios for the demo)."""
    return District.objects.filter(code__startswith=user.department_code).select_related("province").order_by("code")


class DistrictChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: District) -> str:
        return f"{obj.name} ({obj.province.name})"


class PeopleField(IdMultipleChoiceField):
    """Staff shown by their name (a username means nothing to a colleague)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ActivityForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=date_input())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60,
                                          initial=90)
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none())
    place = forms.CharField(label=_("Place"), max_length=200,
                            help_text=_("School, community hall, health post… No home addresses."))
    target_group = forms.ChoiceField(label=_("Target group"), choices=StakeholderGroup.choices)
    topics = forms.CharField(label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    facilitators = PeopleField(
        label=_("Facilitators"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: User, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = districts_near(user)
        facilitators_field = self.fields["facilitators"]
        assert isinstance(facilitators_field, forms.ModelMultipleChoiceField)
        facilitators_field.queryset = User.objects.filter(
            organisation_id=organisation_id_of(user), is_active=True,
            role__in=[Role.FACILITATOR, Role.COORDINATOR, Role.ME_OFFICER],
        ).order_by("first_name", "last_name", "username")
        if not self.is_bound:
            self.initial.setdefault("facilitators", [user.pk])
            self.initial.setdefault("date", timezone.localdate())
            if user.organisation is not None:
                self.initial.setdefault("district", user.organisation.district_id)

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if not self.programme.starts_on <= day <= self.programme.ends_on:
            raise forms.ValidationError(
                _("The date is outside the programme's period (%(start)s – %(end)s)."),
                params={"start": self.programme.starts_on.isoformat(), "end": self.programme.ends_on.isoformat()},
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record activities once they have taken place."))
        return day

    def activity_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("facilitators")
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a participant"), max_length=100, required=False,
                        help_text=_("Code, or the name as registered."))


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False,
                           help_text=_("Stored encrypted. Leave empty to use the code only."))
    # Required, with no default: a person registered "without data" counts in no female or male target.
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("Choose…")), *[(v, label) for v, label in Sex.choices if v != Sex.UNKNOWN]],
        error_messages={"required": _("Choose the participant's sex: without it they count in no female or "
                                      "male target."),
                        "invalid_choice": _("Choose female, male or intersex.")},
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False,
                                 widget=date_input())
    age = forms.IntegerField(label=_("Or age in years"), min_value=5, max_value=110, required=False)
    group = forms.ChoiceField(label=_("Stakeholder group"), choices=StakeholderGroup.choices)
    district = DistrictChoiceField(label=_("District where they live"), queryset=District.objects.none())
    school = forms.ChoiceField(label=_("School"), required=False, choices=[],
                               help_text=_("The district's schools come first. Not in the list? A coordinator "
                                           "adds it on Programme → Schools; meanwhile write it below."))
    organisation = forms.CharField(label=_("Or another school or organisation"), max_length=200, required=False)
    guardian_consent = forms.BooleanField(label=_("A parent or guardian consented (required under 18)"),
                                          required=False)
    # Shown only when the search before registering found someone similar (views.participant_new).
    confirm_new = forms.BooleanField(label=_("None of them is this person: register as new"), required=False)

    def __init__(self, *args: Any, user: User, first_district: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = districts_near(user)
        school_field = self.fields["school"]
        assert isinstance(school_field, forms.ChoiceField)
        school_field.choices = school_choices(user.department_code, first_district)

    def clean_school(self) -> School | None:
        raw = self.cleaned_data.get("school") or ""
        return School.objects.filter(pk=int(raw), active=True).first() if raw.isdigit() else None

    def clean_birth_date(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("birth_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("birth_date") is None and data.get("age") is None:
            self.add_error("birth_date", _("Give the birth date or the age."))
        return data

    def birth_year(self, registered_on: dt.date) -> int:
        d = self.cleaned_data
        return d["birth_date"].year if d.get("birth_date") else registered_on.year - int(d["age"])

    def new_participant(self, registered_on: dt.date) -> NewParticipant:
        d = self.cleaned_data
        return NewParticipant(
            sex=d["sex"], group=d["group"], district_id=d["district"].pk, registered_on=registered_on,
            birth_date=d.get("birth_date"), age=d.get("age"), organisation=self.school_text(),
            guardian_consent=bool(d.get("guardian_consent")), name=d.get("name") or "",
            school_id=d["school"].pk if d.get("school") else None,
        )

    def school_text(self) -> str:
        """The school's name (from the list), else the free text."""
        d = self.cleaned_data
        return d["school"].name if d.get("school") else (d.get("organisation") or "").strip()


def school_choices(department: str, first_district: str = "") -> list[Any]:
    """The active schools of the department grouped by district, ``first_district``'s group first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for school in (School.objects.filter(active=True, district__code__startswith=department)
                   .select_related("district").order_by("district_id", "name")):
        groups.setdefault(school.district_id, []).append((str(school.pk), school.label))
        names[school.district_id] = school.district.name
    order = sorted(groups, key=lambda code: (code != first_district, code))
    return [("", _("Choose…")), *[(names[code], groups[code]) for code in order]]


class SheetChoiceForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Test"), queryset=Instrument.objects.none(), empty_label=None)
    phase = forms.ChoiceField(label=_("Phase"), choices=[("pre", _("Pre-test")), ("post", _("Post-test"))])

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        # Course tests (ruta.learning, code "learning-…") are entered on their own paper screen: a
        # person answers one of two forms, which this sheet cannot score.
        field.queryset = Instrument.objects.filter(programme=programme).exclude(code__startswith="learning-") \
            .order_by("code", "-version")


BLANK_MARKS = "-._?"


def parse_answers(text: str, item_ids: list[str], choices: dict[str, set[str]]) -> dict[str, str | None]:
    """One letter per question in order ("-" for no answer); spaces are ignored."""
    marks = [c for c in text.strip().lower() if not c.isspace()]
    if len(marks) != len(item_ids):
        raise ValueError(_("Type %(n)d answers, one per question (“-” for no answer); you typed %(got)d.")
                         % {"n": len(item_ids), "got": len(marks)})
    answers: dict[str, str | None] = {}
    for item, mark in zip(item_ids, marks):
        if mark in BLANK_MARKS:
            answers[item] = None
        elif mark in choices[item]:
            answers[item] = mark
        else:
            raise ValueError(_("“%(mark)s” is not an answer to question %(item)s.") % {"mark": mark, "item": item})
    return answers


def unparse_answers(answers: dict[str, Any], item_ids: list[str]) -> str:
    return "".join(str(answers.get(i) or "-") for i in item_ids)


class SheetForm(forms.Form):
    """A group's test sheet typed in: a line of answer letters per participant who attended (a row
    left empty for someone who did not take the test) and the day it was taken.
    ``cleaned_data["sheet"]`` maps each participant typed in to their answers."""

    taken_on = forms.DateField(label=_("Date taken"), required=False,
                               error_messages={"invalid": _("The date taken is not a valid date.")})

    def __init__(self, data: Any = None, *, instrument: Instrument, people: list[Participant],
                 prior: dict[int, str], default_day: dt.date) -> None:
        super().__init__(data, initial={"taken_on": default_day})
        self.item_ids = instrument.item_ids
        self.choices = {str(i["id"]): {str(c["id"]).lower() for c in i.get("choices", [])}
                        for i in instrument.items["items"]}
        self.people = people
        self.default_day = default_day
        for p in people:
            self.fields[f"p{p.pk}"] = forms.CharField(required=False, initial=prior.get(p.pk, ""))

    def clean_taken_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["taken_on"] or self.default_day
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date taken cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sheet: dict[int, dict[str, str | None]] = {}
        for p in self.people:
            text = data.get(f"p{p.pk}") or ""
            if not text.strip():
                continue
            try:
                sheet[p.pk] = parse_answers(text, self.item_ids, self.choices)
            except ValueError as exc:
                self.add_error(f"p{p.pk}", str(exc))
        if any(f"p{p.pk}" in self.errors for p in self.people):
            self.add_error(None, _("Nothing was saved: correct the rows marked below."))
        elif not sheet and not self.errors:
            self.add_error(None, _("Type at least one participant's answers."))
        data["sheet"] = sheet
        return data


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("To"), required=False, widget=date_input())
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False,
                                      empty_label=_("All"))
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none(), required=False,
                                   empty_label=_("All"))
    group = forms.ChoiceField(label=_("Stakeholder group"), required=False,
                              choices=[("", _("All")), *StakeholderGroup.choices])

    def __init__(self, *args: Any, programme: Programme, department: str = MADRE_DE_DIOS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        province_field = self.fields["province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = Province.objects.filter(code__startswith=department).order_by("code")
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = District.objects.filter(code__startswith=department).select_related(
            "province").order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        district, province = data.get("district"), data.get("province")
        if district and province and district.province_id != province.pk:
            self.add_error("district", _("This district is not in the chosen province."))
        return data

    def filters(self) -> Filters:
        """The filters asked for, or the programme's whole period when the form is invalid."""
        p = self.programme
        if not self.is_valid():
            return Filters.for_programme(p)
        d = self.cleaned_data
        return Filters(
            start=d.get("start") or p.starts_on, end=d.get("end") or p.ends_on,
            province=d["province"].pk if d.get("province") else "",
            district=d["district"].pk if d.get("district") else "",
            group=d.get("group") or "",
        )


class ProgrammeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Programme
        fields = ["name", "donor", "starts_on", "ends_on", "completion_sessions"]
        widgets = {"starts_on": date_input(),
                   "ends_on": date_input()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end of the period is before its start."))
        return data


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[])
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("All")), *Sex.choices], required=False)
    age_band = forms.ChoiceField(label=_("Age band"), required=False,
                                 choices=[("", _("All")), ("10-14", "10–14"), ("15-19", "15–19"), ("20-24", "20–24")])
    group = forms.ChoiceField(label=_("Stakeholder group"), choices=[("", _("All")), *StakeholderGroup.choices],
                              required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False,
                                      empty_label=_("All"))
    value = forms.DecimalField(label=_("Target value"), min_value=0, max_digits=12, decimal_places=2)
    plan = forms.CharField(
        label=_("Plan (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per milestone: the date and the total expected by then, e.g. “2026-06-30 600”. "
                    "Empty: what is expected grows evenly over the programme's period."),
    )

    def __init__(self, *args: Any, department: str = MADRE_DE_DIOS, **kwargs: Any) -> None:
        from ruta.program.indicators import REGISTRY

        super().__init__(*args, **kwargs)
        indicator_field = self.fields["indicator"]
        assert isinstance(indicator_field, forms.ChoiceField)
        indicator_field.choices = [(code, ind.name) for code, ind in REGISTRY.items()]
        province_field = self.fields["province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = Province.objects.filter(code__startswith=department).order_by("code")

    def clean(self) -> dict[str, Any]:
        from ruta.program.indicators import REGISTRY

        data = super().clean() or {}
        ind = REGISTRY.get(data.get("indicator", ""))
        if ind is None:
            return data
        for name in ("sex", "age_band", "group", "province"):
            if data.get(name) and name not in ind.dimensions:
                self.add_error(name, _("This indicator cannot be broken down this way."))
        if ind.kind == "share" and data.get("value") is not None and data["value"] > 100:
            self.add_error("value", _("A share is at most 100 %."))
        return data

    def clean_plan(self) -> list[list[str]]:
        """``[["2026-06-30", "600"], ...]`` sorted by date (Target.plan, format version 1)."""
        points: dict[dt.date, Decimal] = {}
        for number, line in enumerate((self.cleaned_data.get("plan") or "").splitlines(), start=1):
            parts = line.replace(",", " ").replace(";", " ").split()
            if not parts:
                continue
            try:
                if len(parts) != 2:
                    raise ValueError
                day = dt.date.fromisoformat(parts[0])
                amount = Decimal(parts[1])
                if not amount.is_finite() or amount < 0 or amount > Decimal("1e10"):
                    raise ValueError
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(
                    _("Line %(n)d: write a date and a number, e.g. “2026-06-30 600”."), params={"n": number},
                ) from None
            points[day] = amount
        ordered = sorted(points.items())
        if any(b < a for (_d1, a), (_d2, b) in zip(ordered, ordered[1:])):
            raise forms.ValidationError(_("A plan's totals cannot go down from one date to the next."))
        return [[day.isoformat(), str(amount)] for day, amount in ordered]


class SchoolForm(forms.Form):
    """A school added by hand (one the padrón lacks: a primary school, say)."""

    name = forms.CharField(label=_("Name of the school"), max_length=200)
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.none())
    level = forms.ChoiceField(label=_("Level"), choices=[
        ("Primaria", _("Primary")), ("Secundaria", _("Secondary")),
        ("Primaria y secundaria", _("Primary and secondary")), ("Otro", _("Other"))])
    place = forms.CharField(label=_("Town or village"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = districts_near(user)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


MAX_PADRON_BYTES = 20 * 1024 * 1024


class PadronForm(forms.Form):
    file = forms.FileField(label=_("Padrón file (CSV, as MINEDU publishes it)"))
    source = forms.CharField(label=_("Source and date"), max_length=200,
                             help_text=_("For example: MINEDU, padrón de instituciones educativas, 30-06-2026."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PADRON_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


# --- A class registered in one go -----------------------------------------------------------------

ROSTER_ROWS = 10
MAX_ROSTER_ROWS = 60
NEW_PERSON = "new"


class RosterForm(forms.Form):
    """What the whole class shares: school, district, group and the registration date."""

    registered_on = forms.DateField(label=_("Registration date"), widget=date_input(),
                                    error_messages={"invalid": _("The registration date is not a valid date.")})
    school = forms.ChoiceField(label=_("School"), required=False, choices=[])
    organisation = forms.CharField(label=_("Or another school or organisation"), max_length=200, required=False)
    district = DistrictChoiceField(label=_("District where they live"), queryset=District.objects.none())
    group = forms.ChoiceField(label=_("Stakeholder group"), choices=StakeholderGroup.choices)

    def __init__(self, *args: Any, user: User, first_district: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = districts_near(user)
        school_field = self.fields["school"]
        assert isinstance(school_field, forms.ChoiceField)
        school_field.choices = school_choices(user.department_code, first_district)

    def clean_registered_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["registered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The registration date cannot be in the future."))
        if day.year < 2000:
            raise forms.ValidationError(_("The registration date is not a valid date."))
        return day

    def clean_school(self) -> School | None:
        raw = self.cleaned_data.get("school") or ""
        return School.objects.filter(pk=int(raw), active=True).first() if raw.isdigit() else None

    def school_text(self) -> str:
        d = self.cleaned_data
        return d["school"].name if d.get("school") else (d.get("organisation") or "").strip()


class RosterRowForm(forms.Form):
    """One person of the class; a row left empty is skipped."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[
        ("", _("Choose…")), *[(v, label) for v, label in Sex.choices if v != Sex.UNKNOWN]],
        error_messages={"invalid_choice": _("Choose female, male or intersex.")})
    age = forms.IntegerField(label=_("Age"), min_value=5, max_value=110, required=False)
    guardian_consent = forms.BooleanField(label=_("Guardian consented"), required=False)
    # After a first try: the registered person this row is (their id), or NEW_PERSON.
    same_as = forms.CharField(required=False, max_length=20)

    def is_empty(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return not (d.get("name") or d.get("sex") or d.get("age") is not None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_empty():
            return data
        if not data.get("sex") and "sex" not in self.errors:
            self.add_error("sex", _("Choose the participant's sex: without it they count in no female or "
                                    "male target."))
        if data.get("age") is None and "age" not in self.errors:
            self.add_error("age", _("Give the age."))
        return data


RosterRows = forms.formset_factory(RosterRowForm, extra=0, max_num=MAX_ROSTER_ROWS, validate_max=True,
                                   absolute_max=MAX_ROSTER_ROWS)
