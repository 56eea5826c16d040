"""Every response carries a Content-Security-Policy that allows the portal's
own scripts and styles only, and a Permissions-Policy that turns off the
camera, microphone and location; the production settings pass
``check --deploy`` with no warning left (W021 silenced on purpose)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/daftar/", "/angka/", "/admin/login/", "/api/v1/regions/", "/api/docs/",
                                  "/api/v1/no-such-thing/", "/no-such-page/"])
def test_it_sends_a_strict_content_security_policy_everywhere(client, path):
    response = client.get(path)

    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_it_allows_style_attributes_and_one_hashed_handler_on_the_admin_only(client):
    admin = _directives(client.get("/admin/login/")["Content-Security-Policy"])
    public = _directives(client.get("/")["Content-Security-Policy"])

    assert admin["style-src-attr"] == ["'unsafe-inline'"]
    assert admin["script-src-attr"][0] == "'unsafe-hashes'" and len(admin["script-src-attr"]) == 2
    assert "style-src-attr" not in public and "script-src-attr" not in public


def test_it_relaxes_styles_for_the_redoc_page_only(client):
    redoc = _directives(client.get("/api/redoc/")["Content-Security-Policy"])

    assert redoc["style-src"] == ["'self'", "'unsafe-inline'"]
    assert redoc["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/api/v1/regions/", "/admin/login/"])
def test_it_turns_off_powerful_browser_features(client, path):
    features = dict(item.strip().split("=") for item in client.get(path)["Permissions-Policy"].split(","))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_it_passes_check_deploy_in_production_without_a_warning(tmp_path):
    # Not the test run's own switches (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE among them).
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "kartusehat.settings", "KARTUSEHAT_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "kartusehat.example.go.id",
        "CITY_HOTLINE": "+62 811 1999 119", "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    })

    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 silenced" in done.stdout + done.stderr  # W021: HSTS preload, the city's decision


def test_it_sends_hsts_for_subdomains_behind_tls():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings", "BEHIND_TLS_PROXY": "true"}

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert done.stdout.split() == ["True", "False"], done.stderr
