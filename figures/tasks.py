"""Celery beat keeps the figures at most ``FIGURES_RECOMPUTE_SECONDS`` old."""

from celery import shared_task

from . import services


@shared_task(name="figures.tasks.figures_recompute", ignore_result=True)
def figures_recompute() -> None:
    services.figures_recompute()
