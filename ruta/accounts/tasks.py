"""Periodic work of accounts (see ``ruta.jobs.schedule.SCHEDULE``)."""

from __future__ import annotations

from django_tasks import task

from ruta.accounts.actions import delete_expired_kept_forms, prune_login_records


@task()
def delete_expired_kept_forms_task() -> int:
    return delete_expired_kept_forms()


@task()
def prune_login_records_task() -> int:
    return prune_login_records()
