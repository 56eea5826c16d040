"""Project-wide Celery tasks."""

import os
import socket

from celery import shared_task


@shared_task(name="kartusehat.ping")
def ping() -> dict:
    """Round trip through the broker: which worker answered. Used by the
    deployment healthcheck and to prove the worker wiring in tests."""
    return {"pong": True, "worker": socket.gethostname(), "pid": os.getpid()}
