"""Beat runs the recompute within the contract's 5 minutes; the task writes a
new run; two recomputes at once both finish, one after the other, and leave one
set of rows (PostgreSQL: the run row's lock)."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from figures import services, tasks
from figures.models import FiguresRun, KelurahanFigures
from tests.factories import KRANJI, verified

pytestmark = pytest.mark.django_db


def test_beat_recomputes_well_within_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["figures-recompute"]

    assert entry["task"] == "figures.tasks.figures_recompute"
    assert entry["schedule"] <= 240


def test_the_task_writes_a_new_run():
    verified(KRANJI)
    FiguresRun.objects.create(pk=1, computed_at=timezone.now() - dt.timedelta(hours=1))

    tasks.figures_recompute.apply()

    assert timezone.now() - FiguresRun.objects.get(pk=1).computed_at < dt.timedelta(minutes=1)
    assert KelurahanFigures.objects.get(kelurahan__code=KRANJI).households_verified == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recomputes_at_once_both_finish_with_one_set_of_rows():
    verified(KRANJI)
    services.figures_recompute()
    errors = []

    def run():
        try:
            services.figures_recompute()
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert KelurahanFigures.objects.filter(kelurahan__code=KRANJI).count() == 1


def test_an_older_count_never_replaces_a_newer_run():
    verified(KRANJI)
    newer = timezone.now() + dt.timedelta(minutes=1)
    FiguresRun.objects.create(pk=1, computed_at=newer)

    services.figures_recompute()

    assert FiguresRun.objects.get(pk=1).computed_at == newer
    assert not KelurahanFigures.objects.exists()
