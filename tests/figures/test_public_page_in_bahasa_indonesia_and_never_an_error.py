"""The public figures page: in Bahasa Indonesia by default (the site's language),
linked from every public page, answered without an error page before any
figure exists, with odd query strings, and without the city's regions."""

import pytest

from figures.models import FiguresRun
from registrations.models import Region

pytestmark = pytest.mark.django_db


def test_it_speaks_bahasa_indonesia_by_default(client):
    page = client.get("/angka/").content.decode()

    assert '<html lang="id">' in page
    assert "Program dalam angka" in page
    assert "Cakupan per kecamatan" in page
    assert "The programme in figures" not in page


def test_it_is_linked_from_the_home_page(client):
    assert 'href="/angka/"' in client.get("/").content.decode()


def test_it_counts_once_on_a_new_install_and_answers(client):
    FiguresRun.objects.all().delete()

    response = client.get("/angka/?kecamatan=%27%3B--&x=" + "9" * 500)

    assert response.status_code == 200
    assert FiguresRun.objects.exists()


def test_it_says_so_when_the_city_is_not_loaded(client, settings):
    settings.CITY_REGION_CODE = "99.99"
    assert not Region.objects.filter(code="99.99").exists()

    response = client.get("/angka/")

    assert response.status_code == 200
    assert "Angka belum tersedia." in response.content.decode()
