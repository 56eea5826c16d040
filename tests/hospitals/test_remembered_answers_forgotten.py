"""A coverage check remembers, per process, who its key belongs to, what
that user may do, whether the facility's agreement is in force and the
kelurahan names (kartusehat.memo). Any change to one of them is obeyed at
the next check: in this process, in another process, and never undone by
an answer computed while the change was still uncommitted."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from hospitals import services
from hospitals.models import Agreement, ApiToken
from hospitals.roles import HOSPITAL_STAFF
from kartusehat import memo
from registrations.models import Region
from tests.factories import superuser
from tests.hospitals.helpers import days, hospital_key, keyed, verified_household, verify

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checked(api):
    """A key that has just been used successfully (so everything about it is remembered)."""
    _household, head, _card = verified_household()
    staff, key = hospital_key()
    response = verify(keyed(api, key), {"nik": head.nik})
    assert response.status_code == 200, response.content
    return staff, key, head.nik


def test_it_refuses_a_key_revoked_after_it_was_used(api, checked):
    _staff, key, nik = checked

    services.token_revoke(token_id=ApiToken.objects.get().pk, by=superuser())

    assert verify(keyed(api, key), {"nik": nik}).status_code == 401


def test_it_refuses_a_key_whose_user_was_suspended_after_it_was_used(api, checked):
    staff, key, nik = checked

    services.hospital_staff_set_active(staff_id=staff.pk, active=False, by=superuser())

    assert verify(keyed(api, key), {"nik": nik}).status_code == 401


def test_it_refuses_once_the_role_loses_the_permission(api, checked):
    _staff, key, nik = checked

    Group.objects.get(name=HOSPITAL_STAFF).permissions.remove(Permission.objects.get(codename="verify_coverage"))

    assert verify(keyed(api, key), {"nik": nik}).status_code == 403


def test_it_refuses_once_the_agreement_has_ended(api, checked):
    staff, key, nik = checked

    agreement = Agreement.objects.get(facility=staff.facility)
    agreement.start_date, agreement.end_date = days(-400), days(-1)
    agreement.save()

    assert verify(keyed(api, key), {"nik": nik}).status_code == 403


def test_it_answers_with_a_renamed_kelurahan(api, checked):
    _staff, key, nik = checked
    kelurahan = Region.objects.get(code="32.75.02.1002")

    kelurahan.name = "Kranji Baru"
    kelurahan.save()

    assert verify(keyed(api, key), {"nik": nik}).json()["household"]["kelurahan"] == "Kranji Baru"


def test_it_does_not_keep_an_answer_computed_before_the_change_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        memo.changed()
        during = memo.version()  # another request, reading rows not yet committed
        memo.remember(during, ("answer",), lambda: "stale")

    assert memo.version() != during
    assert memo.remember(memo.version(), ("answer",), lambda: "fresh") == "fresh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(port: int, key: str, nik: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/verify/", data=f'{{"nik": "{nik}"}}'.encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_in_a_gunicorn_worker_a_key_revoked_in_another_process(settings):
    cache_url = "redis://127.0.0.1:6379/13"
    redis.Redis.from_url(cache_url).flushdb()
    settings.CACHES = {"default": {"BACKEND": "kartusehat.cache.RedisCache", "LOCATION": cache_url}}
    _household, head, _card = verified_household()
    _staff, key = hospital_key()
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {
        **os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "CACHE_URL": cache_url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                status = _post(port, key, head.nik)
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        assert _post(port, key, head.nik) == 200  # answered from what the worker remembers

        services.token_revoke(token_id=ApiToken.objects.get().pk, by=superuser())

        assert _post(port, key, head.nik) == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
        redis.Redis.from_url(cache_url).flushdb()
