from __future__ import annotations

import pytest
from django.core.management import call_command

from ruta.geo.models import Department, District, Province


@pytest.mark.django_db
def test_all_of_peru_is_loaded_with_stable_codes() -> None:
    assert District.objects.count() == 1892
    assert Department.objects.count() == 25
    assert District.objects.get(code="170101").name == "Tambopata"
    mdd = District.objects.filter(province__department__code="17")
    assert sorted(mdd.values_list("code", flat=True)) == [
        "170101", "170102", "170103", "170104", "170201", "170202", "170203", "170204",
        "170301", "170302", "170303"]
    assert Province.objects.get(code="1702").name == "Manu"
    assert District.objects.get(code="170301").name == "Iñapari"


@pytest.mark.django_db
def test_reloading_is_idempotent() -> None:
    call_command("load_ubigeo", stdout=open("/dev/null", "w"))
    assert District.objects.count() == 1892
