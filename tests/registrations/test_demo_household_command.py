import io
import json

import pytest
from django.core.management import call_command

from registrations import services
from registrations.models import Registration


@pytest.mark.django_db
def test_it_prints_a_household_the_service_accepts():
    out = io.StringIO()
    call_command("demo_household", "--size", "4", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["members"]) == 4
    registration = services.registration_submit(data=data, channel="online")
    assert Registration.objects.get(pk=registration.pk).members.count() == 4


@pytest.mark.django_db
def test_it_never_prints_numbers_already_taken():
    out = io.StringIO()
    call_command("demo_household", stdout=out)
    first = json.loads(out.getvalue())
    services.registration_submit(data=first, channel="online")
    for _ in range(5):
        out = io.StringIO()
        call_command("demo_household", stdout=out)
        again = json.loads(out.getvalue())
        assert again["kk_number"] != first["kk_number"]
        assert not {m["nik"] for m in again["members"]} & {m["nik"] for m in first["members"]}
