"""With "replace pending registrations" (``--update-pending``), a pending
registration's data is replaced from the file, with history; a verified
household is never changed by an import."""

import pytest
from django.core.management import call_command

from registrations import services
from registrations.models import Household, Registration
from tests.factories import superuser
from tests.registrations.imports.helpers import household, household_csv, kranji_staff

pytestmark = pytest.mark.django_db


def _submitted(data):
    return services.registration_submit(data=data, channel="online")


def test_it_replaces_a_pending_registration_and_never_a_verified_one(tmp_path):
    user = kranji_staff()
    pending_data, verified_data = household(size=2), household(size=2)
    pending = _submitted(pending_data)
    verified = services.registration_verify(registration_id=_submitted(verified_data).pk, by=superuser())
    changed = [dict(data, address="Jl. Baru Sekali No. 9", phone="081298765432") for data in
               (pending_data, verified_data)]
    path = tmp_path / "rw02.csv"
    path.write_bytes(household_csv(*changed))

    call_command("import_households", str(path), user=user.username, update_pending=True,
                 stdout=open(tmp_path / "o", "w"))

    pending.refresh_from_db()
    assert (pending.address, pending.phone, pending.status) == ("Jl. Baru Sekali No. 9", "+6281298765432", "submitted")
    assert pending.household_import is not None and pending.household_import.households_updated == 1
    assert pending.household_import.households_already == 1
    assert pending.history.count() == 2  # submitted, then replaced from the import
    household_row = Household.objects.get(pk=verified.household_id)
    assert household_row.address == verified_data["address"] and household_row.address != "Jl. Baru Sekali No. 9"
    assert Registration.objects.get(pk=verified.pk).address == verified_data["address"]


def test_it_leaves_a_pending_registration_alone_without_the_option(tmp_path):
    user = kranji_staff()
    data = household(size=2)
    pending = _submitted(data)
    path = tmp_path / "rw02.csv"
    path.write_bytes(household_csv(dict(data, address="Jl. Lain No. 1")))

    call_command("import_households", str(path), user=user.username, stdout=open(tmp_path / "o", "w"))

    pending.refresh_from_db()
    assert pending.address == data["address"] and pending.household_import is None
