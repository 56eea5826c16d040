"""Tasks reach real Celery worker processes through Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from kartusehat.tasks import ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
def test_it_runs_a_task_on_a_real_worker_process():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "DJANGO_SETTINGS_MODULE": "kartusehat.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kartusehat", "worker", "--loglevel=WARNING",
         "--pool=solo", "--queues", queue, "--hostname", f"{queue}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        result = ping.apply_async(queue=queue).get(timeout=60)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert result["pong"] is True, output
    assert worker.returncode is not None


def test_it_runs_tasks_in_process_in_the_embedded_default():
    # What settings.py sets when CELERY_BROKER_URL is empty (checked in
    # test_embedded_default); switched on here so it runs in CI as well.
    from kartusehat.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        result = ping.delay()
    finally:
        app.conf.task_always_eager = previous

    assert result.successful()
    assert result.get(timeout=5)["pong"] is True
