"""Figures older than the contract's 5 minutes (beat stopped) are still served
with their as_of, and the request asks a worker to count again, once a minute
at most however many requests come."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from figures import services, tasks
from figures.models import FiguresRun
from tests.factories import KRANJI, staff_user

pytestmark = pytest.mark.django_db


def test_it_asks_a_worker_once_when_the_figures_are_stale(monkeypatch, django_capture_on_commit_callbacks):
    services.figures_recompute()
    old = timezone.now() - dt.timedelta(minutes=7)
    FiguresRun.objects.filter(pk=1).update(computed_at=old)
    asked = []
    monkeypatch.setattr(tasks.figures_recompute, "delay", lambda: asked.append(True))
    api = APIClient()
    api.force_login(staff_user(KRANJI))

    with django_capture_on_commit_callbacks(execute=True):
        first = api.get("/api/v1/stats/coverage/")
        api.get("/api/v1/stats/cards/")

    assert first.status_code == 200
    assert first.json()["as_of"] == old.astimezone(timezone.get_current_timezone()).isoformat()
    assert asked == [True]


def test_it_asks_nothing_while_the_figures_are_fresh(monkeypatch, django_capture_on_commit_callbacks):
    services.figures_recompute()
    asked = []
    monkeypatch.setattr(tasks.figures_recompute, "delay", lambda: asked.append(True))
    api = APIClient()
    api.force_login(staff_user(KRANJI))

    with django_capture_on_commit_callbacks(execute=True):
        api.get("/api/v1/stats/coverage/")

    assert asked == []
