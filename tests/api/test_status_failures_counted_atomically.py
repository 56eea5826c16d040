"""Failed status lookups are counted in one atomic step before the lookup,
so a burst of simultaneous failures gets exactly the limit's worth of 404s
and 429s for the rest: real concurrent requests to gunicorn (two processes,
eight threads each) counting in Redis, as in production."""

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

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10
BURST = 24


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def server(settings):
    """gunicorn on the test database, counting in Redis under a key of its own
    (a fresh SECRET_KEY: counter keys are hashed with it, so no other run's
    counters are read and nothing needs flushing)."""
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {
        **os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "8",
        "CACHE_URL": settings.CELERY_BROKER_URL, "SECRET_KEY": secrets.token_urlsafe(40), "NUM_PROXIES": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "RATE_STATUS_FAILURES_PER_ADDRESS": f"{LIMIT}/hour", "RATE_STATUS_FAILURES_PER_REFERENCE": f"{LIMIT}/hour",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                _get(port, "/healthz/", {})
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _burst(port: int, requests: list[tuple[str, dict]]) -> list[int]:
    start = threading.Barrier(len(requests), timeout=30)
    statuses: list = [None] * len(requests)

    def run(index, path, headers):
        start.wait()
        statuses[index] = _get(port, path, headers)

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_it_answers_exactly_the_limit_of_failures_to_a_burst_from_one_address(server):
    requests = [(f"/api/v1/registrations/KS-0000-0000-{i:04d}/?nik=3275011505800003",
        {"X-Forwarded-For": "203.0.113.9"}) for i in range(BURST)]

    statuses = _burst(server, requests)

    assert sorted(statuses) == [404] * LIMIT + [429] * (BURST - LIMIT), statuses


def test_it_answers_exactly_the_limit_of_failures_on_one_reference_from_many_addresses(server):
    requests = [("/api/v1/registrations/KS-7M3Q-9XKD-2HFA/?nik=3275011505800003",
        {"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(BURST)]

    statuses = _burst(server, requests)

    assert sorted(statuses) == [404] * LIMIT + [429] * (BURST - LIMIT), statuses
