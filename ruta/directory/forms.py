from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.directory.models import Kind, Offer, Service
from ruta.geo.codes import MADRE_DE_DIOS
from ruta.geo.models import Department, District


class ServiceFilterForm(forms.Form):
    """The public list's filters (GET). Districts offered are those with services in the
    chosen department, so the form stays small even with the national registry loaded."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("Kind of institution"), required=False)
    offer = forms.ChoiceField(label=_("What you need"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        used = Service.objects.active().filter(district__isnull=False)
        departments = set(used.values_list("district__province__department_id", flat=True).distinct())
        self._choice("department").choices = [("", pgettext_lazy("directory filter", "All"))] + [
            (d.code, d.name) for d in Department.objects.filter(code__in=departments)
        ]
        raw_district = str(self.data.get("district") or "")
        department = str(self.data.get("department") or "")
        if raw_district[:2].isdigit():
            department = raw_district[:2]  # a district implies its department
        elif not self.is_bound or department not in departments:
            # The list opens on the department Ruta serves first when it has services.
            department = MADRE_DE_DIOS if MADRE_DE_DIOS in departments else department
        self.department_code = department
        # Show the department actually used (implied by the district, or the default).
        if self.is_bound:
            if str(self.data.get("department") or "") != department and department in departments:
                self.data = {**{k: self.data.get(k) for k in self.data}, "department": department}
        elif department:
            self.initial["department"] = department
        districts = (
            District.objects.filter(code__in=used.values("district_id"), province__department_id=department)
            .select_related("province")
            .order_by("province_id", "name")
        )
        self._choice("district").choices = [("", pgettext_lazy("directory filter", "All"))] + [
            (d.code, f"{d.name} ({d.province.name})") for d in districts
        ]
        self._choice("kind").choices = [("", pgettext_lazy("directory filter", "All"))] + list(Kind.choices)
        self._choice("offer").choices = [("", pgettext_lazy("directory filter", "Anything"))] + list(Offer.choices)

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean_department(self) -> str:
        return self.department_code

    def filtered(self) -> Any:
        """Active services matching the valid filters; a district also brings the national lines."""
        qs = Service.objects.active().select_related("district__province")
        data = self.cleaned_data if self.is_bound and self.is_valid() else {"department": self.department_code}
        if data.get("district"):
            qs = qs.filter(district_id=data["district"]) | qs.filter(national=True)
        elif data.get("department"):
            qs = qs.filter(district__province__department_id=data["department"]) | qs.filter(national=True)
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("offer"):
            qs = qs.filter(offers__has=data["offer"])
        return qs.order_by("-national", "district__province_id", "district__name", "-open_24h", "name", "pk")
