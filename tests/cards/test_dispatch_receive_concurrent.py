"""Two kelurahan staff confirm the same dispatch at the same moment: one
receipt, each card ready once, one "ready" event per card (PostgreSQL,
real threads)."""

import pytest
from django.db import transaction

from cards import services
from cards.models import Card, CardEvent, Dispatch
from tests.cards.distribution_helpers import kelurahan_user, sent
from tests.cards.queue_helpers import assert_no_errors, run_threads, start_threads, wait_for_lock_waiters
from tests.factories import KRANJI

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _assert_received_once(dispatch, cards, staff, results):
    assert_no_errors(results)
    assert all(isinstance(r, Dispatch) and r.pk == dispatch.pk for r in results), results
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.RECEIVED
    assert dispatch.received_by_id in {user.pk for user in staff}
    ready_at = set()
    for card in cards:
        card.refresh_from_db()
        assert card.status == Card.Status.READY
        assert CardEvent.objects.filter(card=card, kind="ready").count() == 1
        ready_at.add(card.ready_at)
    # All cards were made ready by one receipt, at its moment.
    assert ready_at == {dispatch.received_at}
    assert not Card.objects.filter(replaces__isnull=False).exists()


def test_it_receives_a_dispatch_once_when_two_staff_confirm_it_together():
    dispatch, cards = sent(3, KRANJI)
    staff = [kelurahan_user(KRANJI, username="loket1"), kelurahan_user(KRANJI, username="loket2")]

    results = run_threads([
        lambda user=user: services.dispatch_receive(dispatch_id=dispatch.pk, by=user) for user in staff
    ])

    _assert_received_once(dispatch, cards, staff, results)


def test_it_receives_once_when_both_confirmations_wait_on_the_same_lock():
    dispatch, cards = sent(3, KRANJI)
    staff = [kelurahan_user(KRANJI, username="loket1"), kelurahan_user(KRANJI, username="loket2")]

    with transaction.atomic():
        # Someone holds the dispatch while both confirmations arrive: both
        # have started before either can write.
        Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        join = start_threads([
            lambda user=user: services.dispatch_receive(dispatch_id=dispatch.pk, by=user) for user in staff
        ])
        wait_for_lock_waiters(2)
    results = join()

    _assert_received_once(dispatch, cards, staff, results)
