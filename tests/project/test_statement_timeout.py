"""Each service's database session settings come from its environment
(docker-compose.yml), and a request stopped by the statement timeout is
answered with a clear 503, never a 500."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgres://postgres@127.0.0.1:5432/kartusehat"

SHOW = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    timeout = cursor.fetchone()[0]
    cursor.execute("SHOW max_parallel_workers_per_gather")
    print(timeout, cursor.fetchone()[0])
"""


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings", **env},
    )


@pytest.mark.postgres
def test_it_sets_the_timeout_and_parallel_workers_of_the_session_from_the_environment(settings):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    done = _python(SHOW, DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="1500", DATABASE_PARALLEL_WORKERS="0")

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1500ms", "0"]


def test_it_refuses_a_timeout_that_is_not_a_number():
    done = _python("import django; django.setup()", DATABASE_URL=PG_URL, DATABASE_STATEMENT_TIMEOUT="2s")

    assert done.returncode != 0
    assert "statement_timeout: expected a whole number, got '2s'" in done.stderr


@pytest.mark.postgres
@pytest.mark.urls("tests.project.timeout_urls")
@pytest.mark.django_db
def test_it_answers_a_page_stopped_by_the_timeout_with_503(client, caplog):
    response = client.get("/admin/slow/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Persempit pencarian" in response.content.decode()
    assert any("statement timeout" in record.getMessage() for record in caplog.records)


@pytest.mark.postgres
@pytest.mark.urls("tests.project.timeout_urls")
@pytest.mark.django_db
def test_it_answers_an_api_call_stopped_by_the_timeout_with_503_json(client):
    response = client.get("/api/v1/slow/")

    assert response.status_code == 503
    assert "Persempit pencarian" in response.json()["detail"]
