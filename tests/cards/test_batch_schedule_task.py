import pytest
from django.conf import settings

from cards import tasks
from cards.models import Batch
from tests.factories import blanko, verified

pytestmark = pytest.mark.django_db


def test_it_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["print-batch"]
    assert entry["task"] == tasks.batch_schedule.name == "cards.tasks.batch_schedule"


def test_it_starts_no_batch_when_nothing_can_be_printed():
    assert tasks.batch_schedule.apply(kwargs={"size": 10}).get() is None
    assert not Batch.objects.exists()


def test_it_starts_a_batch_when_cards_wait_and_blanko_allows(django_capture_on_commit_callbacks):
    blanko(50, emergency_reserve=10)
    verified()

    with django_capture_on_commit_callbacks(execute=False):
        batch_id = tasks.batch_schedule.apply(kwargs={"size": 10}).get()

    assert Batch.objects.get(pk=batch_id).size == 10
    assert Batch.objects.get(pk=batch_id).created_by is None
