"""The programme's own cases in the donor report: aggregates of consented cases through the same
disclosure control (``ruta.stats.programme.figures``)."""

from __future__ import annotations

from ruta.cases import actions
from ruta.cases.tests.factories import CaseTestCase, make_case
from ruta.stats import programme


class ProgrammeCasesInDonorReportTest(CaseTestCase):
    """The 72-hour kit share, referrals by step, and the donor report's case section."""

    def test_kit_share_referrals_by_step_and_the_donor_report(self) -> None:
        import datetime as dt

        from django.utils import timezone

        from ruta.cases.models import ReferralUpdate
        from ruta.lib.suppression import last_closed_month
        from ruta.program.models import Programme
        from ruta.reports.donor import Period
        from ruta.reports.donor import build as donor_report
        from ruta.reports.render import xlsx

        closed = last_closed_month(timezone.localdate())
        occurred = closed - dt.timedelta(days=5)
        cases = [make_case(self.caseworker, incident={"occurred_on": occurred,
                                                      "reported_on": occurred + dt.timedelta(days=1)})
                 for _i in range(12)]
        late = make_case(self.caseworker, incident={"occurred_on": occurred - dt.timedelta(days=10),
                                                    "reported_on": occurred})  # seen after 72 hours
        moment = timezone.make_aware(dt.datetime.combine(occurred, dt.time(12, 0)))
        for n, case in enumerate([*cases, late]):
            referral = actions.refer(self.caseworker, case, step_code="health_emergency_kit" if case is not late
                                     else "health_care", due_at=moment + dt.timedelta(hours=48))
            if n < 9:  # attended in time: 9 of the 12 seen within 72 hours
                referral.status = "attended"
                referral.save(update_fields=["status"])
                ReferralUpdate.objects.create(referral=referral, by=self.caseworker, status="attended",
                                              at=moment + dt.timedelta(hours=30))
            elif n == 9:  # attended after its deadline
                ReferralUpdate.objects.create(referral=referral, by=self.caseworker, status="attended",
                                              at=moment + dt.timedelta(hours=80))
        got = programme.figures(self.caseworker.organisation)
        assert got.counted == 13 and got.kit_base == 12
        assert got.kit_share == 9 / 12
        steps = {label: cells for label, cells in got.tables[2].rows}
        kit = steps["Kit de emergencia en un establecimiento de salud"]
        assert kit[:3] == ["9", "<5", "<5"] or kit[0] in ("9", "x")
        # Type tables share their totals by type: published as one set, the same in both.
        assert got.tables[0].rows[0][1][-1] == got.tables[1].rows[0][1][-1]
        # Below 10 survivors seen within 72 hours: no share.
        assert programme.figures(self.caseworker.organisation, end=occurred - dt.timedelta(days=1)).kit_share is None

        grant = Programme.objects.create(name="Grant cases", donor="EMpower", starts_on=occurred.replace(day=1),
                                         ends_on=closed, organisation=self.caseworker.organisation,
                                         donor_organisation=self.caseworker.organisation, completion_sessions=2)
        report = donor_report(grant, Period(grant.starts_on, grant.ends_on))
        titles = [t.title for t in report.tables]
        assert "Incidentes por tipo GBVIMS y franja de edad de la sobreviviente" in titles or any(
            "GBVIMS" in t for t in titles)
        kit_row = next(r for r in report.indicators if r.code == "cases_kit_in_time")
        assert kit_row.value == "75" and report.case_note
        assert xlsx(report)[:2] == b"PK"  # "x" and "<5" written as text, not numbers
        # Incidents reported after the last closed month are not in the donor figures.
        later = Programme.objects.create(name="Grant later", donor="EMpower", starts_on=closed + dt.timedelta(days=1),
                                         ends_on=closed + dt.timedelta(days=60),
                                         organisation=self.caseworker.organisation,
                                         donor_organisation=self.caseworker.organisation, completion_sessions=2)
        assert not any(r.code.startswith("cases_") for r in
                       donor_report(later, Period(later.starts_on, later.ends_on)).indicators)
