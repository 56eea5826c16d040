from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_scans() -> int:
    """Daily: delete scans past their retention period (see services.documents_purge)."""
    return services.documents_purge()
