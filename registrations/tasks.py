from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_scans() -> int:
    """Daily: delete scans past their retention period (see services.documents_purge)."""
    return services.documents_purge()


@shared_task(acks_late=True)
def purge_registrations() -> dict:
    """Daily: delete rejected and abandoned registrations past their retention
    period (see services.registrations_purge); the counts are logged."""
    return {log.rule: log.registrations for log in services.registrations_purge()}
