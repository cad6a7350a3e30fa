"""Each way someone with database access (but not the audit key) could hide what they did."""

from __future__ import annotations

import importlib
import os
import stat
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from ruta.audit import checkpoint
from ruta.audit.actions import first_broken_link, record_access
from ruta.audit.checkpoint import checkpoint_audit, email_audit_checkpoint
from ruta.audit.models import GENESIS, AccessEvent
from ruta.audit.tests.test_chain import _tampering
from ruta.lib.keys import new_audit_key_spec
from ruta.testing.cast import BaseTestCase


def _verify() -> str:
    """verify_audit's verdict: its output, or its error."""
    out = open(os.devnull, "w")  # noqa: SIM115
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as e:
        return str(e)
    finally:
        out.close()
    return "intact"


def _rehash_from(first_id: int) -> None:
    """What a forger without the key can do: recompute every SHA-256 from ``first_id`` on."""
    prev = AccessEvent.objects.filter(id__lt=first_id).order_by("-id").values_list("hash", flat=True).first()
    prev = prev or GENESIS
    with _tampering():
        for event in AccessEvent.objects.filter(id__gte=first_id).order_by("id"):
            event.prev_hash = prev
            event.hash = event.compute_hash()
            AccessEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
            prev = event.hash


class TamperingTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        home = tempfile.TemporaryDirectory()
        self.addCleanup(home.cleanup)
        self.enterContext(override_settings(RUTA_HOME=Path(home.name)))
        self.events = [record_access(self.caseworker, "view", object_type="cases.case", object_id=i)
                       for i in range(6)]

    def test_an_untouched_log_is_intact(self) -> None:
        checkpoint_audit()
        assert _verify() == "intact"

    def test_an_edit_and_a_rehash_of_the_rest_of_the_chain_is_caught(self) -> None:
        target = self.events[2]
        with _tampering():
            AccessEvent.objects.filter(pk=target.pk).update(object_id="999")
        _rehash_from(target.pk)
        assert f"broken at event {target.pk}" in _verify()
        assert "signature that does not match" in _verify()

    def test_a_deletion_in_the_middle_and_a_rehash_is_caught(self) -> None:
        with _tampering():
            AccessEvent.objects.filter(pk=self.events[3].pk).delete()
        _rehash_from(self.events[4].pk)
        assert f"broken at event {self.events[4].pk}" in _verify()

    def test_deleting_the_newest_events_is_caught_by_the_checkpoint(self) -> None:
        checkpoint_audit()
        with _tampering():
            AccessEvent.objects.filter(pk__gte=self.events[4].pk).delete()
        assert first_broken_link() is None  # the chain alone still looks whole
        verdict = _verify()
        assert f"event {self.events[5].pk}, the last one at the checkpoint" in verdict
        assert "removed" in verdict

    def test_emptying_the_log_is_caught_by_the_checkpoint(self) -> None:
        """TRUNCATE on PostgreSQL (refused by a trigger, see below); DELETE of every row here."""
        checkpoint_audit()
        with _tampering():
            AccessEvent.objects.all().delete()
        verdict = _verify()
        assert "is missing: events were removed" in verdict and "intact" not in verdict

    def test_an_unsigned_event_appended_with_a_correct_hash_is_caught(self) -> None:
        last = self.events[-1]
        forged = AccessEvent(at=last.at, actor_username="x", action="view", object_type="cases.case",
                             object_id="1", prev_hash=last.hash)
        forged.hash = forged.compute_hash()
        forged.save()
        assert "carries no signature" in _verify()

    def test_a_replaced_newest_event_is_caught_by_the_checkpoint(self) -> None:
        checkpoint_audit()
        with _tampering():
            AccessEvent.objects.filter(pk=self.events[5].pk).delete()
        record_access(self.caseworker, "view", object_type="cases.case", object_id=5)
        # The chain is whole and signed, and the count is right again, but the head changed.
        assert first_broken_link() is None
        assert "removed" in _verify()

    def test_an_altered_checkpoint_file_is_reported(self) -> None:
        checkpoint_audit()
        with open(checkpoint.checkpoint_path(), "a") as f:
            f.write("not json\n")
        assert "line 2" in _verify()

    def test_the_checkpoint_file_is_private_and_only_grows(self) -> None:
        checkpoint_audit()
        record_access(self.caseworker, "view", object_type="cases.case", object_id=9)
        point = checkpoint_audit()
        lines = checkpoint.checkpoint_path().read_text().splitlines()
        assert len(lines) == 2 and f'"last_id":{point.last_id}' in lines[1]
        assert point.events == 7
        assert stat.S_IMODE(os.stat(checkpoint.checkpoint_path()).st_mode) == 0o600
        out: list[str] = []
        call_command("verify_audit", stdout=SimpleNamespace(write=out.append))
        assert "agrees with 2 checkpoints" in out[0]

    def test_rotated_audit_keys_still_verify_and_a_removed_one_is_named(self) -> None:
        from django.conf import settings

        old = settings.RUTA_AUDIT_KEYS
        new = new_audit_key_spec("fresh")
        with override_settings(RUTA_AUDIT_KEYS=f"{new},{old}"):
            event = record_access(self.caseworker, "view", object_type="cases.case", object_id=7)
            assert event.key_id == "fresh"
            assert first_broken_link() is None
        with override_settings(RUTA_AUDIT_KEYS=new):
            broken = first_broken_link()
        assert broken is not None and broken[0] == self.events[0].pk
        assert f"audit key {self.events[0].key_id!r}, which is not in RUTA_AUDIT_KEYS" in broken[1]

    def test_events_from_before_signatures_are_signed_once_at_upgrade(self) -> None:
        with _tampering():
            AccessEvent.objects.update(key_id="", mac="")
        assert "carries no signature" in _verify()
        migration = importlib.import_module("ruta.audit.migrations.0003_signed_events")
        migration.sign_existing_events(apps, SimpleNamespace(connection=connection, execute=_execute))
        assert first_broken_link() is None

    def test_the_checkpoint_goes_by_mail_to_case_supervisors_once_mail_is_set_up(self) -> None:
        self.case_supervisor.email = "silvia@example.org"
        self.case_supervisor.save()
        self.caseworker.email = "gina@example.org"
        self.caseworker.save()
        with override_settings(EMAIL_HOST=""):
            assert email_audit_checkpoint() == 0
        with override_settings(EMAIL_HOST="smtp.example.org"):
            assert email_audit_checkpoint() == 1
        assert [m.to for m in mail.outbox] == [["silvia@example.org"]]
        assert f'"last_id":{self.events[-1].pk}' in mail.outbox[0].body
        assert "Gina" not in mail.outbox[0].body

    def test_the_tasks_run_the_functions(self) -> None:
        from ruta.audit.tasks import checkpoint_audit_task

        assert checkpoint_audit_task.call() == 6
        assert checkpoint.checkpoint_path().exists()


def _execute(sql: str, params: object = None) -> None:
    with connection.cursor() as cur:
        cur.execute(sql)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_truncate_of_events() -> None:
    record_access(None, "view", object_type="x", object_id=1)
    with transaction.atomic():
        with connection.cursor() as cur:  # the test database disables it so flushes work; production has it on
            cur.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER audit_accessevent_no_truncate")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("TRUNCATE audit_accessevent")
        transaction.set_rollback(True)
