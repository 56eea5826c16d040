"""Celery tasks of the hospitals app: thin, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def purge_letters() -> int:
    """Daily (beat): hospital letters past their retention are deleted."""
    return services.letters_purge()
