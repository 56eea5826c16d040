"""Celery beat keeps the figures at most ``FIGURES_RECOMPUTE_SECONDS`` old, and makes the monthly report on the 1st."""

from celery import shared_task
from django.utils import timezone

from . import monthly, reports, services


@shared_task(name="figures.tasks.figures_recompute", ignore_result=True)
def figures_recompute() -> None:
    services.figures_recompute()


@shared_task(name="figures.tasks.monthly_report_previous_month", ignore_result=True)
def monthly_report_previous_month() -> None:
    """Beat, on the 1st: the report of the month that just ended."""
    reports.monthly_report_create(month=monthly.previous_month(timezone.localdate()))


@shared_task(name="figures.tasks.monthly_report_email", ignore_result=True,
             autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def monthly_report_email(report_id: int) -> None:
    reports.monthly_report_email(report_id=report_id)
