"""The production server (gunicorn with gunicorn.conf.py) logs requests
without query strings and with NIKs in paths masked."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NIK = "3275011505800003"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_masks_a_nik_in_the_access_log(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/cek/{NIK}/?nik={NIK}", timeout=2)
            except urllib.error.HTTPError:
                break  # 404: the server answered
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    log = output.decode()

    assert "GET /cek/3275••••••••0003/" in log, log
    assert NIK not in log
    assert "?nik=" not in log


def test_it_masks_numbers_written_with_any_separator_in_the_access_log(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update({"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    paths = [f"/cek/3275{s}0115{s}0580{s}0003/" for s in (",", ":", ";", "%2C", "%09", "%3B%20")]
    paths.append("/cek/(0812)%203456%207890/")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "kartusehat.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):  # until gunicorn listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        for path in paths:
            # Once each: a retry after a slow answer on a busy machine would be logged twice.
            with pytest.raises(urllib.error.HTTPError):  # 404: the server answered
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    log = output.decode()

    assert log.count("GET /cek/3275••••••••0003/") == len(paths) - 1, log
    assert "0115" not in log and "0580" not in log and "3456" not in log, log
