"""A real gunicorn (two processes, eight threads each) on the test's
PostgreSQL database, counting its limits in Redis as production does; and
bursts of simultaneous requests to it."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, headers: dict, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    headers = {**headers, "Content-Type": "application/json"} if body is not None else headers
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@contextlib.contextmanager
def gunicorn(settings, **env_settings: str):
    """Yield the port. A fresh SECRET_KEY: counter keys are hashed with it, so
    no other run's counters are read and nothing in Redis needs flushing."""
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {
        **os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "8",
        "CACHE_URL": settings.CELERY_BROKER_URL, "SECRET_KEY": secrets.token_urlsafe(40), "NUM_PROXIES": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        **env_settings,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                request(port, "/healthz/", {})
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def burst(port: int, requests: list[tuple]) -> list[int]:
    """Send every ``(path, headers[, body])`` at once; their statuses in order."""
    start = threading.Barrier(len(requests), timeout=30)
    statuses: list = [None] * len(requests)

    def run(index, args):
        start.wait()
        statuses[index] = request(port, *args)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses
