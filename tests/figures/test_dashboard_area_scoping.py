"""Each role's dashboard holds its own area: a kelurahan user its kelurahan, a
kecamatan user its kelurahan as children, the city-wide roles the city with its
kecamatan; the blanko only for the print office, the auditor and readers of
the whole city; no page for roles without figures or stock."""

import pytest
from django.utils import translation

from figures.dashboard import dashboard_tables
from figures.roles import PIMPINAN
from registrations.models import Region
from registrations.roles import AUDITOR
from tests.factories import BEKASI_BARAT, CITY, KRANJI, MARGAJAYA, UserFactory, staff_user, superuser
from tests.figures.dashboard_helpers import counted_city, signed_in
from tests.figures.helpers import city_staff, recount, region_id

pytestmark = pytest.mark.django_db

PAGE = "/admin/figures/dashboard/"


def _sections(user) -> dict:
    with translation.override("en"):
        return {key: {table.key: table for table in tables} for key, tables in dashboard_tables(user)[1].items()}


def test_it_gives_a_kelurahan_user_its_kelurahan_and_no_blanko():
    counted_city()
    figures = recount()[0][region_id(KRANJI)]
    user = staff_user(KRANJI)

    sections = _sections(user)

    assert set(sections) == {"coverage", "flow", "cards"}
    coverage = sections["coverage"]["coverage"]
    assert [row[1] for row in coverage.rows] == [KRANJI]
    assert coverage.rows[0][3] == figures["households_verified"]
    stages = dict(sections["cards"]["cards"].rows)
    assert stages["Ready for pickup"] == figures["cards_ready_for_pickup"]
    assert stages["On the way to the kelurahan"] == 0  # Margajaya's card on its way is not Kranji's
    page = signed_in(user).get(PAGE)
    assert page.status_code == 200
    assert 'id="dashboard-blanko"' not in page.text
    assert signed_in(user).get(PAGE + "blanko.csv").status_code == 404


def test_it_gives_a_kecamatan_user_its_kelurahan_as_children():
    counted_city()

    coverage = _sections(staff_user(BEKASI_BARAT))["coverage"]["coverage"]

    codes = [row[1] for row in coverage.rows]
    assert codes[0] == BEKASI_BARAT
    assert codes[1:] == list(Region.objects.filter(parent__code=BEKASI_BARAT, level="kelurahan", current=True)
                             .order_by("code").values_list("code", flat=True))
    assert MARGAJAYA not in codes


@pytest.mark.parametrize("who", ["population office", "auditor", "pimpinan", "superuser"])
def test_it_gives_the_city_and_its_blanko_to_city_wide_roles(who):
    counted_city()
    user = {"population office": lambda: staff_user(CITY, username="kota.bekasi"),
            "auditor": lambda: city_staff("audit.kota", AUDITOR),
            "pimpinan": lambda: city_staff("pimpinan.kota", PIMPINAN),
            "superuser": superuser}[who]()
    figures = recount()[0]

    sections = _sections(user)

    coverage = sections["coverage"]["coverage"]
    assert coverage.rows[0][1] == CITY
    assert coverage.rows[0][3] == sum(row.get("households_verified", 0) for row in figures.values())
    assert [row[1] for row in coverage.rows[1:]] == sorted(
        Region.objects.filter(level="kecamatan", code__startswith=CITY + ".").values_list("code", flat=True))
    assert "blanko" in sections and "hospitals" in sections


def test_it_gives_the_print_office_the_blanko_only():
    from tests.cards.distribution_helpers import print_office_user

    counted_city()

    assert set(_sections(print_office_user("cetak.dash"))) == {"blanko"}


def test_it_gives_the_health_office_the_hospitals_only():
    from django.contrib.auth.models import Group

    from hospitals.roles import HEALTH_OFFICE

    counted_city()
    user = UserFactory(username="dinkes.dash")
    user.groups.add(Group.objects.get(name=HEALTH_OFFICE))

    assert set(_sections(user)) == {"hospitals"}
    assert signed_in(user).get(PAGE + "coverage.csv").status_code == 404
    assert signed_in(user).get(PAGE + "hospital-days.csv").status_code == 200


@pytest.mark.parametrize("role", ["no role", "complaint desk"])
def test_it_refuses_roles_without_figures_stock_or_checks(role):
    from django.contrib.auth.models import Group

    from complaints.roles import COMPLAINT_DESK

    counted_city()
    user = UserFactory(username=f"x.{role.replace(' ', '')}")
    if role == "complaint desk":
        user.groups.add(Group.objects.get(name=COMPLAINT_DESK))

    client = signed_in(user)

    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "coverage.csv").status_code == 403


@pytest.mark.parametrize("role", ["kelurahan", "print office", "health office"])
def test_it_links_the_dashboard_from_the_home_page_of_each_role_that_reads_it(role):
    from django.contrib.auth.models import Group

    from hospitals.roles import HEALTH_OFFICE
    from tests.cards.distribution_helpers import print_office_user

    counted_city()
    if role == "health office":
        user = UserFactory(username="dinkes.link")
        user.groups.add(Group.objects.get(name=HEALTH_OFFICE))
    else:
        user = staff_user(KRANJI) if role == "kelurahan" else print_office_user("cetak.link")

    assert f'href="{PAGE}"' in signed_in(user).get("/admin/").text
