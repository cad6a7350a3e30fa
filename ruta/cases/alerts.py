"""Deadline alerts by e-mail: each worker hears once that something is due soon, and once
more if it becomes overdue. The e-mail carries only a link and the case code.

Safe to run every minute from cron, even twice at once: each alert is claimed with an
optimistic lock (``UPDATE … WHERE alert_stage = <the stage we read>``) before it is sent,
so only one run sends it; if sending fails, the claim is given back for the next run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.cases.models import ACTIVE, PENDING, Case, CaseAssignment, Referral

DUE_SOON, OVERDUE = 1, 2
WINDOW = 1  # the kit's own notice (``Referral.kit_notice_sent``)
KIT_STEP = "health_emergency_kit"


@dataclass
class Digest:
    due: set[str] = field(default_factory=set)
    overdue: set[str] = field(default_factory=set)
    window: set[str] = field(default_factory=set)  # a short window just opened (the emergency kit)


def _stage(due_at: datetime, now: datetime) -> int:
    return OVERDUE if due_at <= now else DUE_SOON


Claim = tuple[str, int, int, int, str]  # (kind, pk, old stage, new stage, case code)


def _claims(now: datetime, horizon: datetime) -> list[Claim]:
    """Claim every referral and follow-up whose alert stage moved on; returns what this run got."""
    claimed: list[Claim] = []
    # The kit: one notice as soon as it is referred, however far its deadline (stage 0 → 1 of its own).
    kits = (Referral.objects.filter(**PENDING, step_code=KIT_STEP, kit_notice_sent=False, due_at__gt=now,
                                    case__active=True).values_list("id", "case__code"))
    for pk, code in kits:
        if Referral.objects.filter(pk=pk, kit_notice_sent=False).update(kit_notice_sent=True):
            claimed.append(("kit", pk, 0, WINDOW, code))
    refs = (Referral.objects.filter(**PENDING, due_at__lte=horizon, alert_stage__lt=OVERDUE, case__active=True)
            .values_list("id", "due_at", "alert_stage", "case__code", "case_id"))
    for pk, due_at, stage, code, _case_id in refs:
        new = _stage(due_at, now)
        if new > stage and Referral.objects.filter(pk=pk, alert_stage=stage, due_at=due_at).update(alert_stage=new):
            claimed.append(("referral", pk, stage, new, code))
    cases = (Case.objects.filter(**ACTIVE, next_followup_at__lte=horizon,
                                 followup_alert_stage__lt=OVERDUE)
             .values_list("id", "next_followup_at", "followup_alert_stage", "code"))
    for pk, followup_at, stage, code in cases:
        if followup_at is None:
            continue
        new = _stage(followup_at, now)
        if new > stage and Case.objects.filter(pk=pk, followup_alert_stage=stage, next_followup_at=followup_at).update(
                followup_alert_stage=new):
            claimed.append(("followup", pk, stage, new, code))
    return claimed


def _release(item: Claim) -> None:
    kind, pk, old, new, _code = item
    if kind == "kit":
        Referral.objects.filter(pk=pk).update(kit_notice_sent=False)
    elif kind == "referral":
        Referral.objects.filter(pk=pk, alert_stage=new).update(alert_stage=old)
    else:
        Case.objects.filter(pk=pk, followup_alert_stage=new).update(followup_alert_stage=old)


def send_due_alerts(now: datetime, hours: int) -> int:
    """Send the alerts that are due; returns how many e-mails were sent."""
    claimed = _claims(now, now + timedelta(hours=hours))
    if not claimed:
        return 0
    codes = {item[4] for item in claimed}
    case_rows = Case.objects.filter(code__in=codes).values_list("id", "code", "owner_id")
    workers: dict[str, set[int]] = defaultdict(set)
    ids = {}
    for case_id, code, owner_id in case_rows:
        workers[code].add(owner_id)
        ids[case_id] = code
    for case_id, user_id in CaseAssignment.objects.filter(case_id__in=ids).values_list("case_id", "user_id"):
        workers[ids[case_id]].add(user_id)
    digests: dict[int, Digest] = defaultdict(Digest)
    items_for: dict[int, list[Claim]] = defaultdict(list)
    for item in claimed:
        code, stage = item[4], item[3]
        for uid in workers[code]:
            digest = digests[uid]
            (digest.window if item[0] == "kit" else digest.overdue if stage == OVERDUE else digest.due).add(code)
            items_for[uid].append(item)
    users = {u.pk: u for u in User.objects.filter(pk__in=digests, is_active=True).exclude(email="")}
    sent = 0
    failed: list[Claim] = []
    for uid, digest in digests.items():
        user = users.get(uid)
        if user is None:
            continue
        try:
            _send(user, digest)
            sent += 1
        except Exception:  # noqa: BLE001 - a mail server error must not lose the alert: retry next run
            failed.extend(items_for[uid])
    for item in {f[:2]: f for f in failed}.values():
        _release(item)
    return sent


def _send(user: User, digest: Digest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Ruta: case work is due."), ""]
        # "A window is open" says nothing of what the window is for: the e-mail carries no personal data.
        for label, codes in ((_("Overdue"), digest.overdue), (_("Due soon"), digest.due - digest.overdue),
                             (_("Act today: a time window is open"), digest.window - digest.overdue)):
            if codes:
                lines.append(f"{label}:")
                lines += [f"  {code}  {settings.SITE_URL}{reverse('cases:detail', kwargs={'code': code})}"
                          for code in sorted(codes)]
        lines += ["", _("Open Ruta to see what is due. This message has no personal data on purpose.")]
        subject = _("Ruta: %(n)d cases need attention") % {"n": len(digest.due | digest.overdue | digest.window)}
    send_mail(subject, "\n".join(lines), None, [user.email])
