"""The database refuses a complaint the portal would refuse, whatever the code path."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from tests.complaints.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("changes", [
    {"phone": "081234567890"},
    {"phone": "+62212345678"},
    {"nik": "123"},
    {"nik": "327501570883000A"},
    {"category": "lain"},
    {"status": "closed"},
    {"status": "resolved"},  # without resolved_at
    {"resolved_at": timezone.now()},  # not resolved
    {"name": ""},
    {"ticket": "KS-1234-5678"},
])
def test_it_refuses_invalid_values_in_the_database(changes):
    complaint = submit()

    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(**changes)


def test_it_refuses_a_ticket_twice():
    complaint = submit()

    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            ticket=complaint.ticket, name="Budi", phone="+6281234567890", category="lainnya", message="x" * 10,
        )


def test_it_draws_another_ticket_when_one_is_taken(monkeypatch):
    taken = submit().ticket
    draws = iter([taken, taken, "ADU-2222-3333"])
    monkeypatch.setattr(services, "new_ticket", lambda: next(draws))

    complaint = submit()

    assert complaint.ticket == "ADU-2222-3333"
    assert Complaint.objects.count() == 2
