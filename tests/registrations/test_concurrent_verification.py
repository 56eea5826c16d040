"""Two staff members verifying the same application at once: one household,
one decision, and the other gets a clear conflict."""

import threading

import pytest
from django.db import connection

from kartusehat.refusals import Conflict
from registrations import services
from registrations.models import Household, Member, RegistrationEvent
from tests.factories import BEKASI_BARAT, KRANJI, staff_user, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_verifies_once_when_two_staff_click_at_the_same_time():
    registration = submit(KRANJI, size=3)
    staff = [staff_user(KRANJI), staff_user(BEKASI_BARAT)]
    barrier = threading.Barrier(2, timeout=20)
    outcomes = [None, None]

    def run(index):
        barrier.wait()
        try:
            services.registration_verify(registration_id=registration.pk, by=staff[index])
            outcomes[index] = "verified"
        except Conflict:
            outcomes[index] = "conflict"
        except Exception as exc:  # noqa: BLE001
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(map(str, outcomes)) == ["conflict", "verified"]
    assert Household.objects.count() == 1
    assert Member.objects.count() == 3
    assert RegistrationEvent.objects.filter(registration=registration, status="verified").count() == 1
