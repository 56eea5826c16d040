"""Each home page reads a fixed number of queries, however many rows its counts cover."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaints.roles import COMPLAINT_DESK
from tests.admin import test_home_complaint_desk, test_home_health_office, test_home_kelurahan, test_home_print_office
from tests.cards.distribution_helpers import print_office_user
from tests.factories import BEKASI_BARAT, CITY, KRANJI, UserFactory, staff_user
from tests.hospitals.helpers import health_office_user

pytestmark = pytest.mark.django_db


def queries(user) -> int:
    client = Client()
    client.force_login(user)
    client.get("/admin/")  # the session and the remembered permissions settle
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/admin/").status_code == 200
    return len(captured)


def complaint_desk_user():
    user = UserFactory(username="aduan.kota")
    user.groups.add(Group.objects.get(name=COMPLAINT_DESK))
    return user


def more_complaints():
    for category in ("kartu_belum_jadi", "data_salah", "lainnya"):
        test_home_complaint_desk.complaint(category, days_old=5)


def more_health_office_rows():
    from hospitals.models import Facility

    for place in Facility.objects.all():
        test_home_health_office.check(place, True)


# (who, the rows first, more rows, the queries the page reads)
PAGES = {
    # 12 for the kelurahan's work, 4 for the area's coverage (the figures rollup).
    "kelurahan": (lambda: staff_user(KRANJI), test_home_kelurahan.world, test_home_kelurahan.world, 16),
    "kecamatan": (lambda: staff_user(BEKASI_BARAT), test_home_kelurahan.world, test_home_kelurahan.world, 16),
    "city": (lambda: staff_user(CITY), test_home_kelurahan.world, test_home_kelurahan.world, 16),
    "print office": (print_office_user, test_home_print_office.world, test_home_print_office.world, 11),
    "health office": (health_office_user, test_home_health_office.world, more_health_office_rows, 9),
    "complaint desk": (complaint_desk_user, more_complaints, more_complaints, 6),
}


@pytest.mark.parametrize("role", PAGES)
def test_it_reads_a_fixed_number_of_queries(role):
    make_user, rows, more_rows, pinned = PAGES[role]
    user = make_user()
    rows()
    first = queries(user)

    more_rows()
    second = queries(user)

    assert (first, second) == (pinned, pinned)
