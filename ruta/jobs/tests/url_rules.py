"""A job is seen by the person who asked for it only (everyone else: 404)."""

from __future__ import annotations

from typing import Any

from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast


def _job(cast: Cast) -> dict[str, Any]:
    from ruta.jobs.actions import job_file
    from ruta.jobs.models import Job

    job = Job.objects.create(kind="jobs.count", requested_by=cast.alpha["coordinator"], status=Job.Status.SUCCEEDED,
                             result={"v": 1, "file": {"suffix": ".out", "name": "count.txt",
                                                      "content_type": "text/plain"}})
    job_file(job, ".out").write_text("five")
    return {"job_id": job.pk}


REQUESTER = frozenset({"coordinator"})
RULES = [
    UrlRule(f"jobs:{name}", REQUESTER, _job, own_org_only=True, denied=404)
    for name in ("job", "status", "download")
]
