"""A coverage check costs the same whatever the answer: a NIK that is covered,
waiting, rejected or unknown, a card number, each in the same few queries
(each on an index), with the key, the permission and the agreement remembered
once warm. An unknown NIK used to cost a scan of every registration."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.hospitals.helpers import (
    hospital_key,
    keyed,
    pending_registration,
    rejected_registration,
    unregistered_nik,
    verified_household,
    verify,
)

pytestmark = pytest.mark.django_db


def _queries(client, body) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = verify(client, body)
    assert response.status_code == 200, response.content
    return len(captured)


def test_it_answers_every_kind_of_nik_in_the_same_number_of_queries(api):
    _staff, key = hospital_key()
    client = keyed(api, key)
    _household, head, card = verified_household()
    _pending, waiting = pending_registration()
    _rejected, refused = rejected_registration()
    _queries(client, {"nik": head.nik})  # warms the cached permission and agreement

    counts = {
        "registered": _queries(client, {"nik": head.nik}),
        "pending": _queries(client, {"nik": waiting.nik}),
        "rejected": _queries(client, {"nik": refused.nik}),
        "unknown": _queries(client, {"nik": unregistered_nik()}),
        "card": _queries(client, {"card_number": card.number}),
    }

    assert len(set(counts.values())) == 1, counts
    # What is known of the NIK or card (2), the audit row (1); the key, its
    # user's permissions and agreement are remembered (test_remembered_answers_forgotten).
    assert counts["registered"] <= 3, counts
