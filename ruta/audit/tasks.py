"""Background tasks (django-tasks); the schedule runs them (every 15 minutes, daily)."""

from __future__ import annotations

from django_tasks import task

from ruta.audit.checkpoint import checkpoint_audit, email_audit_checkpoint


@task()
def checkpoint_audit_task() -> int:
    """Append the access log's head to RUTA_HOME/audit_checkpoints.log; returns its event count."""
    return checkpoint_audit().events


@task()
def email_audit_checkpoint_task() -> int:
    """E-mail the latest checkpoint to the case supervisors; returns how many were sent."""
    return email_audit_checkpoint()
