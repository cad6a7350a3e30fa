from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent


def test_pages_carry_the_security_headers(client: Client, db: None) -> None:
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r["Referrer-Policy"] == "no-referrer"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in r  # the public site sets no cookies


def test_no_page_loads_anything_from_another_origin(client: Client, db: None) -> None:
    for path in ("/", "/en/", "/entrar/"):
        html = client.get(path).content.decode()
        assert "src=\"http" not in html and "href=\"http" not in html.replace('class="quick-exit" href="http', "")


def test_same_origin_posts_with_a_null_origin_pass_csrf_and_others_do_not(db: None) -> None:
    c = Client(enforce_csrf_checks=True)
    token = c.get("/entrar/").cookies["csrftoken"].value
    data = {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    assert c.post("/entrar/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
    assert c.post("/entrar/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site").status_code == 403


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RUTA_", "SECURE_"))}
    env.update({"RUTA_HOME": str(tmp_path), "ALLOWED_HOSTS": "ruta.example.org", "DEBUG": "false"})
    subprocess.run([sys.executable, "manage.py", "init_keys"], cwd=ROOT, env=env, capture_output=True, check=True)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
