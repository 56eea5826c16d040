"""Tasks reach real Celery worker processes through Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from kartusehat.celery import app as celery_app
from kartusehat.tasks import ping

ROOT = Path(__file__).resolve().parents[2]
NIK = "3275011505800003"


@pytest.mark.redis
def test_it_runs_a_task_on_a_real_worker_process():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "kartusehat.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kartusehat", "worker", "--loglevel=WARNING",
         "--pool=solo", "--queues", queue, "--hostname", f"{queue}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        # An unknown task makes the worker log the message body: with a NIK in it.
        celery_app.send_task("kartusehat.no_such_task", args=[NIK], queue=queue)
        result = ping.apply_async(queue=queue).get(timeout=60)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    output = output.decode()
    assert result["pong"] is True, output
    assert result["pid"] == worker.pid != os.getpid()  # ran in the worker process, not here
    assert "no_such_task" in output and NIK not in output
    assert "3275••••••••0003" in output


def test_it_runs_tasks_in_process_in_the_embedded_default():
    # No broker configured at all, as after a fresh clone: the task runs in
    # the calling process.
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "kartusehat.settings"
    code = (
        "import os, django; django.setup(); from kartusehat.tasks import ping; "
        "r = ping.delay().get(timeout=5); print(r['pid'] == os.getpid())"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
