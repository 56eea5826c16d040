"""Under CI=true a missing PostgreSQL or Redis fails the run instead of skipping."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "1"  # nothing listens on port 1


def _pytest_under_ci(database_url: str, broker_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/project/test_healthz.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    "database_url, broker_url, complaint",
    [
        (f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/kartusehat", "redis://127.0.0.1:6379/0",
            "PostgreSQL is unreachable"),
        ("postgres://postgres@127.0.0.1:5432/kartusehat", f"redis://127.0.0.1:{CLOSED_PORT}/0", "Redis is unreachable"),
        ("", "redis://127.0.0.1:6379/0", "DATABASE_URL must point at PostgreSQL"),
        ("postgres://postgres@127.0.0.1:5432/kartusehat", "", "CELERY_BROKER_URL must point at Redis"),
    ],
)
def test_it_fails_loudly_when_a_service_is_missing_under_ci(database_url, broker_url, complaint):
    result = _pytest_under_ci(database_url, broker_url)

    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr
