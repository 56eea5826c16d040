"""With nothing set the portal runs on SQLite with in-process tasks; production
refuses unsafe defaults at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE, "
    "s.KARTUSEHAT_CITY['region_code'])"
)


def _settings(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "kartusehat.settings", **extra_env})
    code = f"import django; django.setup(); {PRINT}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_it_runs_on_sqlite_with_eager_tasks_when_nothing_is_set():
    result = _settings({})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "id", "Asia/Jakarta", "32.75"]


def test_it_switches_to_postgresql_and_workers_from_the_environment():
    result = _settings({
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kartusehat",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    })

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "False"]


def test_it_refuses_production_without_a_secret_key():
    result = _settings({"KARTUSEHAT_PRODUCTION": "true", "ALLOWED_HOSTS": "kartusehat.example.go.id"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_a_malformed_city_code():
    result = _settings({"CITY_REGION_CODE": "3275"})

    assert result.returncode != 0
    assert "CITY_REGION_CODE" in result.stderr


def test_it_reports_a_city_without_a_kelurahan_list():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "kartusehat.settings", "CITY_REGION_CODE": "31.71"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0
    assert "kartusehat.E001" in result.stderr


def test_it_refuses_the_placeholders_of_env_example_in_production():
    example = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    }
    env = {k: example[k] for k in ("SECRET_KEY", "SIGNING_KEY", "ALLOWED_HOSTS", "CITY_HOTLINE")}

    result = _settings({"KARTUSEHAT_PRODUCTION": "true", **env})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_starts_in_production_with_real_values():
    result = _settings({
        "KARTUSEHAT_PRODUCTION": "true", "SECRET_KEY": "k" * 20 + "Zq9" * 10, "SIGNING_KEY": "",
        "ALLOWED_HOSTS": "kartusehat.example.go.id", "CITY_HOTLINE": "+62 811 1234 5678",
    })

    assert result.returncode == 0, result.stderr
