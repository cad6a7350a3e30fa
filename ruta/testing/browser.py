"""Browser tests: a real gunicorn serving a fresh demo database, driven through Playwright
in Debian's chromium, with axe-core for accessibility.

Used as a pytest plugin (see conftest.py). Mark tests ``@pytest.mark.browser`` and
``@pytest.mark.xdist_group("browser")`` so one worker runs them all against one server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


_instance_env: dict[str, str] = {}  # the running e2e instance's environment


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(home: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update({
        "RUTA_HOME": str(home),
        "RUTA_DEMO": "true",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{home / 'ruta.sqlite3'}",
        "PORT": str(port),
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_SETTINGS_MODULE": "ruta.settings",
    })
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def new_instance(prefix: str, *, demo: bool = True, **extra: str) -> Iterator[tuple[dict[str, str], int]]:
    """A migrated instance (SQLite) in a temporary folder: its environment and a free port."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        port = _free_port()
        env = {**server_env(Path(tmp), port), **extra}
        manage(env, "init_keys")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        if demo:
            manage(env, "load_demo")
        yield env, port


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn serving ``env``'s instance; yields its base URL and process once it answers."""
    exe = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(exe), "ruta.wsgi", "-c", str(ROOT / "ruta" / "gunicorn_conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The background worker of ``env``'s instance (``manage.py run_worker``)."""
    proc = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--interval", "0.2"], cwd=ROOT, env=env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def ruta_server() -> Iterator[str]:
    """Base URL of gunicorn serving a new demo instance (SQLite in a temporary folder), with its worker."""
    with new_instance("ruta-e2e-") as (env, port), gunicorn(env, port) as (base, _proc), worker(env):
        _instance_env.update(env)
        yield base


@pytest.fixture(scope="session")
def demo_logins(ruta_server: str) -> dict[str, dict[str, Any]]:
    return {x["username"]: x for x in json.loads(manage(_instance_env, "demo_credentials", "--json"))}


@pytest.fixture(scope="session")
def demo_staff_pages(ruta_server: str) -> dict[str, Any]:
    """Every staff page of the demo instance by role (see ``ruta.testing.pages``)."""
    return staff_pages(_instance_env)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Browser tests need Debian's chromium at /usr/bin/chromium (./test installs it as root)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="es-PE", bypass_csp=False)
    pg = context.new_page()
    yield pg
    context.close()


def totp_now(secret_b32: str) -> str:
    import base64

    from django_otp.oath import TOTP

    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    return f"{TOTP(base64.b32decode(padded)).token():06d}"


def login_as(page: Any, base_url: str, login: dict[str, Any]) -> None:
    """Log in through the real forms, with the second factor when the role has one."""
    page.goto(f"{base_url}/entrar/")
    page.fill("#id_username", login["username"])
    page.fill("#id_password", login["password"])
    page.click("main button[type=submit]")
    if login.get("totp_secret"):
        page.wait_for_url("**/entrar/codigo/**")
        for _attempt in range(2):
            page.fill("#id_token", totp_now(login["totp_secret"]))
            with page.expect_navigation():
                page.click("main button[type=submit]")
            if "/entrar/codigo/" not in page.url:
                break
            # A code is accepted once: the same user logged in within this 30-second step
            # (another test). Wait for the next code.
            time.sleep(30 - time.time() % 30 + 1)
    page.wait_for_url("**/panel/**")


def staff_pages(env: dict[str, str]) -> dict[str, Any]:
    """Every staff page of ``env``'s demo instance by role (``ruta.testing.pages``)."""
    out = manage(env, "shell", "-c", "from ruta.testing.pages import main; main()")
    return dict(json.loads(out.strip().splitlines()[-1]))


def scroll_width(page: Any) -> int:
    """How wide the page is laid out: more than the viewport means sideways scrolling.

    Measured on a loaded document: right after a click that navigates, the old document may
    be torn down (no ``documentElement``) before the new one arrives, and a plain
    ``evaluate`` then fails. ``wait_for_function`` is re-run in the new document."""
    page.wait_for_load_state()
    measured = page.wait_for_function(
        "() => document.readyState === 'complete' && document.documentElement"
        " ? document.documentElement.scrollWidth : null"
    )
    return int(measured.json_value())


def fits_the_screen(page: Any) -> bool:
    """True when the page needs no sideways scrolling in its viewport (1 px of rounding)."""
    return scroll_width(page) <= page.viewport_size["width"] + 1


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    # axe-core is injected through the DevTools protocol, which the page's CSP does not govern.
    results = Axe().run(page)
    return list(results.response["violations"])


def assert_no_axe_violations(page: Any) -> None:
    violations = axe_violations(page)
    summary = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert violations == [], f"axe-core violations on {page.url}:\n" + "\n".join(summary)
