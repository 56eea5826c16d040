"""With the database down or unreachable, the portal answers 503 with
Retry-After: JSON in the contract's shape on the API, a page that says what
happened on the site; never Django's "Server Error (500)". Proven against a
real gunicorn whose database is not there, and one whose database goes away
while it runs."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import registration_data

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url: str):
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
        env.update({"GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2",
                    "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "kartusehat.settings",
                    # A fresh clone has not collected its static files (the manifest
                    # storage's table of hashed names): name them as they are.
                    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage"})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        self.log = ""
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("gunicorn did not start")

    def request(self, path: str, *, method: str = "GET", body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def stop(self) -> str:
        self.process.terminate()
        output, _ = self.process.communicate(timeout=30)
        self.log = output.decode()
        return self.log


def _assert_api_503(answer):
    status, headers, body = answer
    assert status == 503, body
    assert headers["Content-Type"].startswith("application/json"), headers
    assert headers["Retry-After"] == "60"
    assert set(json.loads(body)) == {"detail"}


def _assert_page_503(answer):
    status, headers, body = answer
    assert status == 503, body
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "60"
    assert "Server Error" not in body
    assert "Kartu Sehat" in body and 'role="alert"' in body  # the site's own page, with its layout


def test_it_answers_503_on_every_kind_of_request_when_nothing_listens_at_the_database():
    dead = _free_port()  # nothing listens there
    server = Gunicorn(f"postgres://postgres@127.0.0.1:{dead}/kartusehat")
    try:
        _assert_api_503(server.request("/api/v1/regions/"))
        _assert_api_503(server.request("/api/v1/service-status/"))
        _assert_api_503(server.request("/api/v1/registrations/", method="POST", body=registration_data(size=1)))
        _assert_api_503(server.request("/api/v1/registrations/KS-7M3Q-9XKD-2HFA/?nik=3275011505800003"))
        _assert_api_503(server.request("/api/v1/verify/", method="POST", body={"nik": "3275011505800003"},
                                       headers={"Authorization": "Token ksrs_not-a-real-key"}))
        _assert_page_503(server.request("/"))
        _assert_page_503(server.request("/rumah-sakit/"))
        # A staff member's session is read from the database too.
        _assert_page_503(server.request("/admin/", headers={"Cookie": "sessionid=" + "a1b2c3d4" * 4}))
    finally:
        log = server.stop()

    assert "database unavailable in" in log, log
    assert "Internal Server Error" not in log, log


class Proxy:
    """A TCP forwarder to PostgreSQL that can be cut: the database going away under a running server."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def cut(self):
        self.open = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close alone would not
        except OSError:
            pass
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_answers_503_once_the_database_goes_away_under_a_running_server():
    db = settings.DATABASES["default"]
    proxy = Proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    server = Gunicorn(f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}")
    try:
        submit = {"path": "/api/v1/registrations/", "method": "POST"}
        status, _, body = server.request(**submit, body=registration_data(size=1))
        assert status == 201, body  # the same requests, while the database answers
        status, _, body = server.request("/rumah-sakit/")
        assert status == 200, body

        proxy.cut()

        _assert_api_503(server.request(**submit, body=registration_data(size=1)))
        _assert_page_503(server.request("/rumah-sakit/"))
    finally:
        proxy.cut()
        log = server.stop()

    assert "Internal Server Error" not in log, log
