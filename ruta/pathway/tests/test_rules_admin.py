"""Rules are data an administrator edits: the admin validates conditions, every edit changes
the plans and the rules version, and the shipped file reloads idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from ruta.accounts.roles import Role
from ruta.pathway.conditions import validate_condition
from ruta.pathway.engine import plan, rules_snapshot
from ruta.pathway.loader import load_rules, read_rules_file
from ruta.pathway.models import Caution, Rule, RulesRelease
from ruta.pathway.tests.helpers import NOW, case, codes, step
from ruta.testing.cast import BaseTestCase, login


@pytest.mark.parametrize("bad", [
    {"age_lt": 18}, [{"age_below": 18}], [{"age_lt": "18"}], [{"age_lt": True}], [{"violence_any": []}],
    [{"violence_any": ["fire"]}], [{"is_student": "yes"}], ["age_lt"],
])
def test_it_rejects_a_malformed_condition(bad: object) -> None:
    with pytest.raises(ValidationError):
        validate_condition(bad)


@pytest.mark.parametrize("good", [[], [{}], [{"age_lt": 18, "violence_any": ["sexual"]}, {"lives_with": True}]])
def test_it_accepts_well_formed_conditions(good: object) -> None:
    validate_condition(good)


def test_the_shipped_rules_cite_a_basis_a_source_and_a_mark() -> None:
    data = read_rules_file()
    from ruta.pathway.codes import StepCode

    assert {r["code"] for r in data["rules"]} == set(StepCode.values)
    for row in data["rules"] + data["cautions"]:
        assert row["source"] and row["confidence"] in ("verified", "secondary", "unverified")
        validate_condition(row["applies_when"])
    for row in data["rules"]:
        assert row["legal_basis"] and row["plain_es"] and row["plain_en"] and row["professional_es"]


@pytest.mark.django_db
def test_an_edit_changes_the_plan_and_the_version() -> None:
    before = plan(case(age=20, violence_types=["physical"]), NOW)
    rule = Rule.objects.get(code="legal_aid")
    rule.title_es = "Abogada o abogado gratis"
    rule.mandatory_when = [{"age_gte": 18}]
    rule.save()
    after = plan(case(age=20, violence_types=["physical"]), NOW)
    assert after["rules_version"] != before["rules_version"]
    assert after["rules_version"].startswith("2026.12-2+")
    assert step(after, "legal_aid")["title"] == "Abogada o abogado gratis"
    assert step(after, "legal_aid")["mandatory"] is True
    assert rule.history.first().title_es == "Abogada o abogado gratis"  # the change history keeps every edit
    Rule.objects.filter(code="legal_aid").update(active=False)
    assert "legal_aid" not in codes(plan(case(age=20, violence_types=["physical"]), NOW))


@pytest.mark.django_db
def test_reloading_the_shipped_rules_adds_nothing_twice() -> None:
    counts = load_rules(Rule, Caution, RulesRelease)
    assert counts["created"] == 0 and counts["updated"] == Rule.objects.count() + Caution.objects.count()
    assert RulesRelease.objects.count() == 1


@pytest.mark.django_db
def test_the_reload_command_is_a_dry_run_unless_for_real() -> None:
    Rule.objects.filter(code="legal_aid").update(title_en="Changed")
    out = StringIO()
    call_command("load_pathway_rules", stdout=out)
    assert "Dry run" in out.getvalue() and Rule.objects.get(code="legal_aid").title_en == "Changed"
    call_command("load_pathway_rules", "--for-real", stdout=StringIO())
    assert Rule.objects.get(code="legal_aid").title_en == "A free lawyer"


@pytest.mark.django_db
def test_the_snapshot_lists_active_rules_in_order() -> None:
    orders = [r["order"] for r in rules_snapshot()["rules"]]
    assert orders == sorted(orders) and len(orders) == 13


class AdminEditingTest(BaseTestCase):
    def test_an_administrator_edits_a_rule_in_the_admin(self) -> None:
        client = Client()
        login(client, self.cast.alpha[Role.ADMIN])
        rule = Rule.objects.get(code="school_report")
        url = f"/admin/pathway/rule/{rule.pk}/change/"
        assert client.get(url).status_code == 200
        form = {f: getattr(rule, f) for f in (
            "code", "order", "institution", "service_offer", "deadline_from", "title_es", "title_en", "plain_es",
            "plain_en", "professional_es", "professional_en", "legal_basis", "source", "confidence")}
        form.update(service_kinds='["school", "ugel"]', applies_when='[{"is_student": true}]',
                    mandatory_when="[{}]", deadline_hours="24", active="on")
        bad = client.post(url, {**form, "applies_when": '[{"in_school": true}]'})
        assert bad.status_code == 200 and "in_school" in bad.content.decode()
        good = client.post(url, {**form, "deadline_hours": "12"})
        assert good.status_code == 302, good.content.decode()[:3000]
        assert step(plan(case(violence_types=["physical"], is_student=True), NOW), "school_report")[
            "deadline_hours"] == 12

    def test_other_roles_cannot_edit_rules(self) -> None:
        client = Client()
        login(client, self.cast.alpha[Role.CASEWORKER])
        assert client.get("/admin/pathway/rule/").status_code == 403
