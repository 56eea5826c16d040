"""The production compose file has the cookiecutter-django layout and every
app container is configured the same way."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_runs_web_hospital_proxy_worker_beat_postgres_redis_and_backup():
    services = _compose()["services"]

    assert set(services) == {"web", "hospital", "proxy", "worker", "beat", "postgres", "redis", "backup"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "gunicorn -c gunicorn.conf.py" in " ".join(services["hospital"]["command"])
    assert "celery -A kartusehat worker" in services["worker"]["command"]
    assert "celery -A kartusehat beat" in services["beat"]["command"]


def test_it_configures_every_app_container_for_production_from_env():
    services = _compose()["services"]

    for name in ("web", "hospital", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["environment"]["KARTUSEHAT_PRODUCTION"] == "true"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis")
        assert {"postgres", "redis"} <= set(service["depends_on"])


def test_it_documents_every_setting_the_compose_file_needs():
    example = (ROOT / ".env.example").read_text()

    for variable in ("SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "CITY_REGION_CODE", "CITY_HOTLINE"):
        assert f"\n{variable}=" in example


def test_it_starts_gunicorn_with_its_config_as_the_main_process():
    import shlex

    command = _compose()["services"]["web"]["command"]
    assert command[:2] == ["sh", "-c"]
    script = shlex.split(command[2])
    assert "exec" in script and script[script.index("exec") + 1 :] == [
        "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application",
    ]


def test_it_backs_up_the_database_nightly_with_the_scripted_dump_into_its_own_volume():
    compose = _compose()
    backup = compose["services"]["backup"]

    assert backup["image"] == compose["services"]["postgres"]["image"]  # pg_dump of the server's own version
    assert backup["entrypoint"] == ["sh", "/usr/local/bin/kartusehat-backup", "daily"]
    assert "./deploy/backup.sh:/usr/local/bin/kartusehat-backup:ro" in backup["volumes"]
    assert "backups:/backups" in backup["volumes"]
    assert "backups" in compose["volumes"]
    assert backup["environment"]["DATABASE_URL"].startswith("postgres://")
    assert backup["depends_on"]["postgres"]["condition"] == "service_healthy"
