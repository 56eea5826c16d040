"""An import on real services (PostgreSQL, Redis, Celery worker processes):
the worker importing a file is killed with SIGKILL in the middle. What it
wrote is whole households only (each chunk is one transaction), the sweeper
sends the import again once its lease runs out, and the second worker
completes it without writing any household twice."""

import os
import signal
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings

from registrations import imports, tasks
from registrations.models import HouseholdImport, Registration, RegistrationEvent, RegistrationMember
from tests.cards.worker_helpers import start_worker, wait_until_ready
from tests.registrations.imports.helpers import household, household_csv, kranji_staff

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOUSEHOLDS = 4000
LEASE = 3  # seconds, for the workers of this test (production: 120)


def _wait(condition, *, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")


def _distinct_households(count: int) -> list[dict]:
    """Households no two of which share a KK or a NIK: the factories' serials wrap
    after 9,999 numbers, and this test needs more than that."""
    families, seen = [], set()
    while len(families) < count:
        family = household(size=1 + len(families) % 5)
        numbers = {family["kk_number"], *(member["nik"] for member in family["members"])}
        if not numbers & seen:
            seen |= numbers
            families.append(family)
    return families


def _assert_whole(families: dict[str, int]) -> None:
    """Every registration written holds all of its household's members and one status event."""
    members = Counter(RegistrationMember.objects.values_list("registration__kk_number", flat=True))
    for kk_number, count in members.items():
        assert count == families[kk_number], kk_number
    assert set(members) == set(Registration.objects.values_list("kk_number", flat=True))
    assert RegistrationEvent.objects.count() == Registration.objects.count()


def test_it_completes_an_import_whose_worker_was_killed_without_writing_a_household_twice():
    families = _distinct_households(HOUSEHOLDS)
    sizes = {family["kk_number"]: len(family["members"]) for family in families}
    user = kranji_staff()
    record = imports.household_import_create(content=household_csv(*families), filename="rw.csv", by=user,
                                             check=False)
    record = imports.household_import_check(import_id=record.pk)  # the dry run, in this process
    assert record.status == HouseholdImport.Status.CHECKED

    queue = f"import-{uuid.uuid4().hex[:8]}"
    media = settings.PRIVATE_MEDIA_ROOT
    # A busy machine may let a lease run out before the first chunk: more runs, never a lost household.
    env = {"IMPORT_LEASE_SECONDS": str(LEASE), "IMPORT_MAX_ATTEMPTS": "20"}
    doomed = start_worker(queue, f"doomed-{queue}", media, **env)
    workers = [doomed]
    try:
        wait_until_ready([f"doomed-{queue}"])
        imports.household_import_confirm(import_id=record.pk, by=user, send=False)
        tasks.household_import_run.apply_async(args=[record.pk], queue=queue)
        _wait(lambda: Registration.objects.filter(household_import=record).count() >= 500, timeout=120)

        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=30)
        written = Registration.objects.count()
        assert 0 < written < HOUSEHOLDS
        assert HouseholdImport.objects.get(pk=record.pk).status == HouseholdImport.Status.IMPORTING
        _assert_whole(sizes)  # no half-written household

        survivor = start_worker(queue, f"survivor-{queue}", media, **env)
        workers.append(survivor)
        wait_until_ready([f"survivor-{queue}"])

        def done():  # Celery beat sends the sweeper every minute; here, every second
            tasks.household_import_sweep.apply_async(queue=queue)
            return HouseholdImport.objects.filter(pk=record.pk, status=HouseholdImport.Status.DONE).exists()

        _wait(done, timeout=180, every=1)
    finally:
        outputs = []
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
            outputs.append(worker.communicate(timeout=60)[0].decode())

    record.refresh_from_db()
    assert Registration.objects.count() == HOUSEHOLDS, outputs
    _assert_whole(sizes)
    assert (record.households_imported, record.people_imported) == (HOUSEHOLDS, sum(sizes.values())), outputs
    assert record.attempts >= 2  # the killed run and the one that finished
    assert record.households_already == 0 and record.report_lines == 0
