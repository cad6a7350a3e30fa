"""Foundation figures: the login page's first-load weight, and requests per second of the
public home page against a bare Django view, both served by gunicorn with 2 workers.

    python -m bench foundation [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import urllib.request

from bench.common import ROOT
from ruta.testing.browser import gunicorn, new_instance


def _weight(env: dict[str, str], path: str) -> str:
    code = (
        "import django;django.setup();"
        "from django.test import Client;from ruta.testing.weight import page_weight;"
        f"w=page_weight(Client(), {path!r});print(w.compressed_bytes, w.requests)"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "ruta.settings", "ALLOWED_HOSTS": "testserver"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True,
                         env=env).stdout.split()
    return f"{int(out[0]) / 1024:.1f} KB compressed in {out[1]} requests"


def _rps(url: str, seconds: int) -> float:
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True,
                             check=True).stdout
        m = re.search(r"Requests/sec:\s+([\d.]+)", out)
        return float(m.group(1)) if m else 0.0
    # Fallback without wrk: one client thread, sequential requests.
    import time

    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        urllib.request.urlopen(url).read()
        n += 1
    return n / seconds


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench foundation")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args(argv)
    with new_instance("ruta-bench-", RUTA_BENCH_BARE_VIEW="true") as (env, port):
        print(f"login page /entrar/: {_weight(env, '/entrar/')}")
        print(f"public home /: {_weight(env, '/')}")
        with gunicorn(env, port) as (base, _proc):
            bare = _rps(base + "/_bench/bare/", args.seconds)
            home = _rps(base + "/", args.seconds)
            login = _rps(base + "/entrar/", args.seconds)
        tool = "wrk -t2 -c8" if shutil.which("wrk") else "sequential urllib"
        print(f"gunicorn 2 workers, {tool}, {args.seconds} s each, {os.cpu_count()} cores shared with the client:")
        print(f"  bare Django view: {bare:8.0f} req/s")
        print(f"  home page /:      {home:8.0f} req/s  ({home / bare:.2f} × bare)")
        print(f"  login /entrar/:   {login:8.0f} req/s  ({login / bare:.2f} × bare)")


if __name__ == "__main__":
    main(sys.argv[1:])
