"""Project-wide Celery tasks."""

import os
import socket

from celery import shared_task

from . import storage


@shared_task(name="kartusehat.ping")
def ping() -> dict:
    """Round trip through the broker: which worker answered. Used by the
    deployment healthcheck and to prove the worker wiring in tests."""
    return {"pong": True, "worker": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="kartusehat.orphan_files_purge")
def orphan_files_purge() -> int:
    """Hourly (beat): private files whose row never committed (see storage.orphan_files_purge)."""
    return storage.orphan_files_purge()
