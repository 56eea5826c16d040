"""Each role's home page shows its own work and no other role's."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cards.roles import PRINT_OFFICE
from complaints.roles import COMPLAINT_DESK
from figures.roles import PIMPINAN
from hospitals.roles import HEALTH_OFFICE
from registrations.models import Region, StaffArea
from registrations.roles import AUDITOR, KELURAHAN_STAFF
from tests.admin.home_helpers import home_page
from tests.factories import CITY, KRANJI, UserFactory, superuser

pytestmark = pytest.mark.django_db

ROLES = {
    KELURAHAN_STAFF: ["coverage", "registrations", "kelurahan-cards"],
    PRINT_OFFICE: ["print-office"],
    HEALTH_OFFICE: ["health-office"],
    COMPLAINT_DESK: ["complaints"],
    AUDITOR: ["coverage"],
    PIMPINAN: ["coverage"],
    None: [],  # a staff account before it is given a role
}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_its_own_sections(role):
    user = UserFactory(username=f"user-{role or 'none'}".replace(" ", "-"))
    if role:
        user.groups.add(Group.objects.get(name=role))
    StaffArea.objects.create(user=user, region=Region.objects.get(code=KRANJI if role == KELURAHAN_STAFF else CITY))
    client = Client()
    client.force_login(user)

    assert home_page(client).sections == ROLES[role]


def test_it_shows_a_superuser_every_section():
    client = Client()
    client.force_login(superuser())

    sections = home_page(client).sections

    assert {"coverage", "registrations", "kelurahan-cards", "print-office", "health-office",
            "complaints"} <= set(sections)
