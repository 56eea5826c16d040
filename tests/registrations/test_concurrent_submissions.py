"""Two submissions racing for the same KK or NIK: exactly one wins, the other
gets a clear refusal, and no duplicate row exists. Real threads, each with its
own PostgreSQL connection; both pass the application-level check before
either writes, so the database constraint is what decides."""

import threading

import pytest
from django.db import connection

from registrations import services
from registrations.models import Registration, RegistrationMember
from registrations.validation import RegistrationInvalid
from tests.factories import BINTARA, KRANJI, registration_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(monkeypatch, payloads):
    barrier = threading.Barrier(len(payloads), timeout=20)
    real_check = services._taken_errors
    local = threading.local()

    def check_then_wait(clean):
        errors = real_check(clean)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # everyone has checked; now everyone writes
        return errors

    monkeypatch.setattr(services, "_taken_errors", check_then_wait)
    results = [None] * len(payloads)

    def run(index, data):
        try:
            results[index] = services.registration_submit(data=data, channel="online")
        except RegistrationInvalid as exc:
            results[index] = exc
        except Exception as exc:  # noqa: BLE001 - recorded so the test can fail on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_it_accepts_exactly_one_of_two_submissions_of_the_same_kk(monkeypatch):
    first = registration_data(KRANJI, size=2)
    second = registration_data(KRANJI, size=2, kk_number=first["kk_number"])

    results = _race(monkeypatch, [first, second])

    accepted = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, RegistrationInvalid)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert "kk_number" in refused[0].errors
    assert Registration.objects.filter(kk_number=first["kk_number"]).count() == 1
    assert RegistrationMember.objects.count() == 2  # the loser left no members behind


def test_it_accepts_exactly_one_of_two_households_sharing_a_nik(monkeypatch):
    first = registration_data(KRANJI, size=2)
    second = registration_data(BINTARA, size=2)
    second["members"][1] = dict(first["members"][1], relationship=second["members"][1]["relationship"])

    results = _race(monkeypatch, [first, second])

    accepted = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, RegistrationInvalid)]
    assert len(accepted) == 1 and len(refused) == 1, results
    shared = first["members"][1]["nik"]
    assert RegistrationMember.objects.filter(nik=shared).count() == 1
    assert Registration.objects.count() == 1
