"""Long work run by the background worker, as the person who asked for it sees it.

django-tasks keeps the queue (``django_tasks_db.DBTaskResult``); a :class:`Job` is Ruta's own
record of one piece of work: who asked, how far it got, and what came of it. Pages poll it
for progress; the worker marks it failed when it was interrupted (see ``actions``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """``result`` is JSON, version 1: ``{"v": 1, ...}`` with a summary the job's kind defines
    (counts, error lists by row and column, an output file name). Never personal data."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Not finished")

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    title = models.CharField(max_length=120, blank=True)  # what it is, in the requester's language
    language = models.CharField(max_length=10, default="es-pe")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    step = models.CharField(max_length=120, blank=True)  # what it is doing now, in the requester's language
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)  # shown to the requester; never personal data
    back_url = models.CharField(max_length=300, blank=True)  # the page the work was started from
    worker = models.CharField(max_length=120, blank=True)  # host:pid of the process running it
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))


class ScheduleEntry(models.Model):
    """When each periodic job of ``schedule.SCHEDULE`` was last enqueued (one row per job)."""

    name = models.CharField(max_length=60, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
