"""The print office sees a stopped or failed batch and retries or cancels it
with one action; a cancelled batch prints nothing, even if its worker is
still rendering, and every blank it held is free again."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cards import services
from cards.models import Batch, Card, LedgerEntry
from cards.roles import PRINT_OFFICE
from kartusehat.refusals import Conflict, Forbidden
from tests.cards.queue_helpers import assert_ledger_balances, claimed, queue, receive, stock
from tests.factories import KRANJI, UserFactory, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/cards/batch/"


@pytest.fixture
def office(client):
    user = UserFactory(username="operator.cetak")
    user.groups.add(Group.objects.get(name=PRINT_OFFICE))
    client.force_login(user)
    return user


def _expire(batch: Batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_it_cancels_a_batch_being_rendered_and_the_late_worker_prints_nothing(client, office):
    receive(10, emergency_reserve=0)
    queue(4)
    batch = claimed(4)
    worker_claim = batch.claim

    response = client.post(CHANGELIST, {"action": "cancel_selected", "_selected_action": [batch.pk], "apply": "1",
                                        "reason": "Printer rusak, dicetak ulang besok"})

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Batch.Status.FAILED
    assert batch.error.startswith(f"Cancelled by {office.username}") or office.username in batch.error
    assert Card.objects.filter(status=Card.Status.QUEUED, batch__isnull=True).count() == 4
    assert stock().reserved == 0
    # The worker still rendering it: its next renewal says stop; its completion changes nothing.
    assert services.batch_progress(batch_id=batch.pk, claim=worker_claim, rendered=2) is False
    services.batch_complete(batch_id=batch.pk, pdf_name="batches/late.pdf", claim=worker_claim)
    assert not Card.objects.filter(status=Card.Status.PRINTED).exists()
    assert not LedgerEntry.objects.filter(kind="consumed").exists()
    assert_ledger_balances()


def test_it_retries_a_stopped_batch_at_once(client, office, django_capture_on_commit_callbacks):
    receive(10, emergency_reserve=0)
    queue(3)
    batch = claimed(3)  # its worker then died
    _expire(batch)

    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process here
        response = client.post(CHANGELIST, {"action": "retry_selected", "_selected_action": [batch.pk]})

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.cards_count, batch.attempts) == (Batch.Status.DONE, 3, 2)
    assert (stock().reserved, stock().consumed) == (0, 3)
    assert_ledger_balances()


def test_it_follows_a_failed_batch_with_a_new_one_of_the_same_size(office):
    receive(10, emergency_reserve=0)
    queue(2)
    batch = claimed(2)
    services.batch_fail(batch_id=batch.pk, error="printer jammed")

    again = services.batch_retry(batch_id=batch.pk, by=office)

    assert again.pk != batch.pk and again.size == batch.size
    assert Batch.objects.get(pk=again.pk).status in (Batch.Status.PENDING, Batch.Status.DONE)


def test_it_refuses_to_retry_a_batch_its_worker_is_still_printing(office):
    receive(10, emergency_reserve=0)
    queue(2)
    batch = claimed(2)

    with pytest.raises(Conflict):
        services.batch_retry(batch_id=batch.pk, by=office)
    with pytest.raises(Conflict):
        services.batch_cancel(batch_id=services.batch_complete(batch_id=batch.pk, pdf_name="batches/x.pdf").pk,
                              reason="terlambat", by=office)


def test_it_shows_a_stopped_batch_in_the_list(client, office):
    receive(10, emergency_reserve=0)
    queue(2)
    batch = claimed(2)
    _expire(batch)

    response = client.get(CHANGELIST, {"stuck": "1"})

    assert [row.pk for row in response.context["cl"].result_list] == [batch.pk]
    assert "lease" in response.content.decode().lower() or "berhenti" in response.content.decode().lower()


def test_it_lets_only_the_print_office_retry_or_cancel():
    receive(10, emergency_reserve=0)
    queue(2)
    batch = claimed(2)
    _expire(batch)
    clerk = staff_user(KRANJI)

    with pytest.raises(Forbidden):
        services.batch_retry(batch_id=batch.pk, by=clerk)
    with pytest.raises(Forbidden):
        services.batch_cancel(batch_id=batch.pk, reason="bukan urusan saya", by=clerk)
    assert Batch.objects.get(pk=batch.pk).status == Batch.Status.RENDERING
