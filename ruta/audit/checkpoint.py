"""Checkpoints of the access log's head, kept outside the database.

A signed chain still looks whole after its newest events are deleted, or after all of
them are (TRUNCATE). So every 15 minutes ``checkpoint_audit`` appends the head — how many
events, the last one's id and MAC, the time — to ``RUTA_HOME/audit_checkpoints.log`` (mode
0600, append-only), and once a day ``email_audit_checkpoint`` sends the latest one to the
case supervisors, off the server. ``verify_audit`` checks the chain against every line.

Restoring a backup (``manage.py restore``) rolls the log back to the backup's head on
purpose: it appends a "backup.restored" event and then a checkpoint line marked
``restored``. Lines before the last such mark describe the log as it was before the restore
and are no longer compared; the mark itself counts only if its last event is that signed
"backup.restored" event, so a line added to the file by hand cannot hide a deletion.
"""

from __future__ import annotations

import json
import os
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ruta.audit.models import AccessEvent

FILENAME = "audit_checkpoints.log"


@dataclass(frozen=True)
class Checkpoint:
    at: str
    events: int
    last_id: int | None
    last_mac: str
    restored: str = ""  # the backup's date, on the line written by a restore

    def line(self) -> str:
        fields: dict[str, object] = {"at": self.at, "events": self.events, "last_id": self.last_id,
                                     "last_mac": self.last_mac}
        if self.restored:
            fields["restored"] = self.restored
        return json.dumps(fields, separators=(",", ":"))


def checkpoint_path() -> Path:
    return Path(settings.RUTA_HOME) / FILENAME


def head() -> Checkpoint:
    last = AccessEvent.objects.order_by("-id").values_list("id", "mac").first()
    if last is None:
        return Checkpoint(timezone.now().isoformat(), 0, None, "")
    # Ids only grow and appends are serialised, so no event at or below last_id can still arrive.
    count = AccessEvent.objects.filter(id__lte=last[0]).count()
    return Checkpoint(timezone.now().isoformat(), count, last[0], last[1])


def checkpoint_audit(restored: str = "") -> Checkpoint:
    """Append the chain's head to the checkpoint file (every 15 minutes, and after a restore)."""
    point = head()
    if restored:
        point = Checkpoint(point.at, point.events, point.last_id, point.last_mac, restored)
    fd = os.open(checkpoint_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(point.line() + "\n")
    return point


def read_checkpoints() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint in the file, and a problem for each line that does not read as one."""
    try:
        text = checkpoint_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    points, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            points.append(Checkpoint(str(d["at"]), int(d["events"]), d["last_id"], str(d["last_mac"]),
                                     str(d.get("restored", ""))))
        except (ValueError, KeyError, TypeError):
            problems.append(f"line {n} of {checkpoint_path()} is not a checkpoint: the file was altered")
    return points, problems


def checkpoint_problems() -> list[str]:
    """How the chain in the database disagrees with the checkpoints taken of it.

    One pass over the event ids (a year of checkpoints is ~35,000 lines, most naming the
    same head), then a lookup per distinct checkpointed event."""
    points, problems = read_checkpoints()
    marks = [i for i, p in enumerate(points) if p.restored]
    if marks:
        mark = points[marks[-1]]
        action = (AccessEvent.objects.filter(id=mark.last_id, mac=mark.last_mac).values_list("action", flat=True)
                  .first() if mark.last_id is not None else None)
        if action == "backup.restored":
            points = points[marks[-1]:]
        else:
            problems.append(f"the restore mark of {mark.at} does not name a restore in the access log: the "
                            "checkpoint file was altered")
    wanted = sorted({p.last_id for p in points if p.last_id is not None})
    if not wanted:
        return problems
    ids = array("q", AccessEvent.objects.order_by("id").values_list("id", flat=True).iterator(chunk_size=20000))
    macs: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        macs.update(AccessEvent.objects.filter(id__in=wanted[i:i + 500]).values_list("id", "mac"))
    for p in points:
        if p.last_id is None:
            continue
        if p.last_id not in macs:
            problems.append(f"event {p.last_id}, the last one at the checkpoint of {p.at}, is missing: "
                            "events were removed (the newest ones, or all of them)")
        elif macs[p.last_id] != p.last_mac:
            problems.append(f"event {p.last_id} differs from the checkpoint of {p.at}: it was replaced")
        elif (count := bisect_right(ids, p.last_id)) != p.events:
            problems.append(f"the checkpoint of {p.at} counted {p.events} events up to event {p.last_id}; "
                            f"there are {count}: events were removed or added")
    return problems


def email_audit_checkpoint() -> int:
    """E-mail the latest checkpoint to every active case supervisor (daily); how many got it.

    Does nothing until e-mail is set up (EMAIL_HOST): a copy printed to the console is no
    copy off the server."""
    from ruta.accounts.models import User
    from ruta.accounts.roles import Role

    if not settings.EMAIL_HOST:
        return 0
    points, _problems = read_checkpoints()
    point = points[-1] if points else checkpoint_audit()
    to = list(User.objects.filter(role=Role.CASE_SUPERVISOR, is_active=True).exclude(email="")
              .values_list("email", flat=True))
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ruta: access log checkpoint")
        body = "\n".join([
            _("The access log's head at %(at)s: %(n)d events, the last one %(id)s.")
            % {"at": point.at, "n": point.events, "id": point.last_id or "-"},
            "",
            point.line(),
            "",
            _("Keep this e-mail. If 'verify_audit' ever finds fewer events than this, or a different "
              "last event, the access log was cut. It holds no personal data."),
        ])
    for address in to:  # one each: supervisors of different organisations do not see each other
        send_mail(subject, body, None, [address])
    return len(to)
