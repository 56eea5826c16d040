"""Shared test set-up: which real services are reachable, and factories.

PostgreSQL, Redis and browser (Chromium) tests skip with a reason when the
service is not configured. Under CI=true an unconfigured or unreachable
service, or a missing Chromium, stops the run instead: CI must prove the
real thing, never pass by skipping it.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Debian's package; the browser tests (tests/browser) drive it through playwright.
CHROMIUM = "/usr/bin/chromium"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def broker_url() -> str:
    return settings.CELERY_BROKER_URL


def pytest_configure(config):
    if not CI:
        return
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL under CI=true")
    elif not _reachable(database_url, 5432):
        problems.append(f"PostgreSQL is unreachable at {urlparse(database_url).netloc}")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        problems.append("CELERY_BROKER_URL must point at Redis under CI=true")
    elif not _reachable(broker, 6379):
        problems.append(f"Redis is unreachable at {urlparse(broker).netloc}")
    if not os.path.exists(CHROMIUM):
        problems.append(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    if problems:
        pytest.exit("CI=true but: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/kartusehat")
    redis_ok = broker_url().startswith("redis://") and _reachable(broker_url(), 6379)
    skip_redis = pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    for item in items:
        if "postgres" in item.keywords and not using_postgres():
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not redis_ok:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(request, monkeypatch):
    """Tasks run in the test's own process, as in the embedded default, even
    where a broker is configured (CI): only tests marked ``redis`` hand them
    to real workers."""
    if "redis" in request.keywords:
        yield
        return
    from kartusehat.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    yield
