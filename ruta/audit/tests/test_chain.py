from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ruta.audit.actions import first_broken_link, record_access
from ruta.audit.models import GENESIS, AccessEvent, AppendOnlyError
from ruta.testing.cast import BaseTestCase


class AuditChainTest(BaseTestCase):
    def _events(self, n: int) -> list[AccessEvent]:
        return [record_access(self.caseworker, "view", object_type="cases.case", object_id=i) for i in range(n)]

    def test_events_link_to_the_previous_one(self) -> None:
        first, second, third = self._events(3)
        assert first.prev_hash == GENESIS
        assert second.prev_hash == first.hash and third.prev_hash == second.hash
        assert first.actor_username == "gina"
        call_command("verify_audit", stdout=open("/dev/null", "w"))

    def test_the_model_refuses_changes_and_deletion(self) -> None:
        (event,) = self._events(1)
        event.action = "print"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()

    def test_verify_names_the_first_altered_event(self) -> None:
        events = self._events(5)
        with _tampering():
            AccessEvent.objects.filter(pk=events[2].pk).update(object_id="999")
        assert first_broken_link() == (events[2].pk, f"event {events[2].pk} was altered after it was written")
        with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
            call_command("verify_audit")

    def test_verify_names_the_event_after_a_removed_one(self) -> None:
        events = self._events(5)
        with _tampering():
            AccessEvent.objects.filter(pk=events[1].pk).delete()
        broken = first_broken_link()
        assert broken is not None and broken[0] == events[2].pk
        assert "removed or altered" in broken[1]

    def test_a_forged_rehash_of_one_event_is_still_caught(self) -> None:
        events = self._events(3)
        forged = AccessEvent.objects.get(pk=events[1].pk)
        forged.object_id = "777"
        with _tampering():
            AccessEvent.objects.filter(pk=forged.pk).update(object_id="777", hash=forged.compute_hash())
        # The hash matches again, but the signature over it cannot be forged without the audit key.
        assert first_broken_link() == (events[1].pk, f"event {events[1].pk} has a signature that does not match: "
                                                     "it was altered or forged")


class _tampering:
    """Someone with direct database access: on PostgreSQL they must disable the trigger first."""

    def __enter__(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_append_only")

    def __exit__(self, *exc: object) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER audit_accessevent_append_only")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_events() -> None:
    record_access(None, "view", object_type="x", object_id=1)
    for sql in ("UPDATE audit_accessevent SET action = 'x'", "DELETE FROM audit_accessevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
