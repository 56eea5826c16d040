"""Two submissions racing for the same KK or NIK: exactly one wins, the other
gets a clear refusal, and no duplicate row exists. Real threads, each with its
own PostgreSQL connection."""

import threading

import pytest
from django.db import connection

from kartusehat.refusals import Invalid
from registrations import services
from registrations.models import Registration, RegistrationMember
from tests.factories import BINTARA, KRANJI, registration_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(payloads, *, before_write=None):
    start = threading.Barrier(len(payloads), timeout=20)
    results = [None] * len(payloads)

    def run(index, data):
        try:
            start.wait()
            results[index] = services.registration_submit(data=data, channel="online")
        except Exception as exc:  # noqa: BLE001 - Invalid expected; anything else fails the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    accepted = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, Invalid)]
    assert len(accepted) == 1 and len(refused) == 1, results
    return accepted[0], refused[0]


def _same_kk():
    first = registration_data(KRANJI, size=2)
    return first, registration_data(KRANJI, size=2, kk_number=first["kk_number"])


def _shared_nik():
    first = registration_data(KRANJI, size=2)
    second = registration_data(BINTARA, size=2)
    second["members"][1] = dict(first["members"][1], relationship=second["members"][1]["relationship"])
    return first, second


def test_it_accepts_exactly_one_of_two_submissions_of_the_same_kk():
    first, second = _same_kk()

    _accepted, refused = _race([first, second])

    assert "kk_number" in refused.errors
    assert Registration.objects.filter(kk_number=first["kk_number"]).count() == 1
    assert RegistrationMember.objects.count() == 2  # the loser left no members behind


def test_it_accepts_exactly_one_of_two_households_sharing_a_nik():
    first, second = _shared_nik()

    _accepted, refused = _race([first, second])

    assert refused.errors["members"][1]["nik"]
    assert RegistrationMember.objects.filter(nik=first["members"][1]["nik"]).count() == 1
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("payloads", [_same_kk, _shared_nik])
def test_it_is_still_the_database_that_refuses_when_both_pass_the_check(monkeypatch, payloads):
    # Take away the advisory locks and hold both submissions after their
    # availability check: the constraints alone must keep the data right.
    monkeypatch.setattr(services, "_lock_numbers", lambda kk_number, niks: None)
    checked = threading.Barrier(2, timeout=20)
    real_check = services._taken_errors
    local = threading.local()

    def check_then_wait(clean):
        errors = real_check(clean)
        if not getattr(local, "waited", False):
            local.waited = True
            checked.wait()
        return errors

    monkeypatch.setattr(services, "_taken_errors", check_then_wait)

    accepted, refused = _race(list(payloads()))

    assert refused.errors
    assert Registration.objects.count() == 1
    assert RegistrationMember.objects.count() == accepted.members.count() == 2
