"""Care-pathway figures: plan time p50/p95 (engine alone and through the API) and the
compressed weight of every guide page. Runs on a temporary SQLite instance.

    python -m bench pathway [N]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ruta.lib.keys import create_missing_key_files


def _setup() -> None:
    home = tempfile.mkdtemp(prefix="ruta-bench-pathway-")
    os.environ["RUTA_HOME"] = home
    os.environ["DATABASE_URL"] = f"sqlite:///{home}/ruta.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    create_missing_key_files(Path(home))  # a new database: nothing a new key could orphan
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)


def _inputs(n: int) -> list[dict[str, Any]]:
    from ruta.pathway.codes import RELATIONSHIPS, REPORTER_ROLES, SEXES, VIOLENCE_TYPES

    rnd = random.Random(7)
    districts = ["170101", "170102", "170104", "170201", "170301", None]
    return [{
        "age": rnd.choice([None, rnd.randint(0, 25)]), "sex": rnd.choice(SEXES),
        "violence_types": [t for t in VIOLENCE_TYPES if rnd.random() < 0.5] or ["sexual"],
        "hours_since_incident": rnd.choice([None, rnd.randint(0, 200)]),
        "aggressor_relationship": rnd.choice(RELATIONSHIPS), "aggressor_lives_with_survivor": rnd.random() < 0.5,
        "immediate_danger": rnd.random() < 0.3, "is_student": rnd.random() < 0.5,
        "reporter_role": rnd.choice(REPORTER_ROLES), "district": rnd.choice(districts),
        "lang": rnd.choice(["es", "en"]),
    } for _ in range(n)]


def _percentiles(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"p50 {statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.2f} ms (n={len(ms)})"


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 500
    _setup()
    from django.test import Client

    from ruta.directory.models import Service
    from ruta.pathway.engine import plan
    from ruta.pathway.inputs import parse_plan_input
    from ruta.pathway.questions import QUESTIONS
    from ruta.testing.weight import asset_urls, compressed_size, page_weight

    print(f"services in the directory: {Service.objects.count()}")
    inputs = _inputs(n)
    engine_times = []
    for raw in inputs:
        start = time.perf_counter()
        data, _errors = parse_plan_input(raw)
        assert data is not None
        plan(data)
        engine_times.append(time.perf_counter() - start)
    print(f"plan() with its queries: {_percentiles(engine_times)}")
    client = Client()
    api_times = []
    for raw in inputs:
        body = json.dumps(raw)
        start = time.perf_counter()
        response = client.post("/api/v1/pathway/plan", data=body, content_type="application/json")
        api_times.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(f"POST /api/v1/pathway/plan (in-process client): {_percentiles(api_times)}")
    print("guide page weights (compressed, with CSS and JS):")
    from django.contrib.staticfiles import finders

    for prefix in ("", "/en"):
        for q in QUESTIONS:
            w = page_weight(client, f"{prefix}/guia/?paso={q.name}")
            print(f"  {prefix}/guia/ {q.name:32} {w}")
        response = client.post(f"{prefix}/guia/", {
            "reporter_role": "teacher", "immediate_danger": "true", "violence_types": ["sexual", "physical"],
            "hours_since_incident": "12", "age": "13", "sex": "female", "aggressor_relationship": "parent_or_caregiver",
            "aggressor_lives_with_survivor": "true", "is_student": "true", "district": "170101"})
        total, requests = compressed_size(response.content), 1
        for url in asset_urls(response.content.decode()):
            with open(str(finders.find(url.removeprefix("/static/"))), "rb") as f:
                total, requests = total + compressed_size(f.read()), requests + 1
        print(f"  {prefix}/guia/ {'result (heaviest case)':32} {total / 1024:.1f} KB in {requests} requests")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
