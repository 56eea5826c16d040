"""The registration form at /daftar/: every kelurahan of the city to choose
from, grouped by kecamatan, and the consent statement it asks for."""

import re

import pytest
from django.urls import reverse

from registrations import services
from registrations.models import Region
from tests.web.helpers import REGISTER_URL, attributes, element, text

pytestmark = pytest.mark.django_db


def test_it_is_served_at_daftar():
    assert reverse("registrations:register") == REGISTER_URL


def test_it_lists_the_56_kelurahan_of_kota_bekasi_grouped_by_kecamatan(client):
    response = client.get(REGISTER_URL)

    assert response.status_code == 200
    select = element(response.content, "kelurahan_code")
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert len(groups) == 12
    chosen = {}
    for label, options in groups:
        for code, name in re.findall(r'<option value="([0-9.]+)"[^>]*>([^<]+)</option>', options):
            chosen[code] = (label, name)
    assert len(chosen) == 56
    expected = Region.objects.filter(level="kelurahan", current=True, code__startswith="32.75.")
    assert set(chosen) == set(expected.values_list("code", flat=True))
    for kelurahan in expected.select_related("parent"):
        label, name = chosen[kelurahan.code]
        assert name == kelurahan.name
        assert label.endswith(kelurahan.parent.name)
    assert chosen["32.75.02.1002"][1] == "Kranji"


def test_it_shows_the_consent_statement_with_its_version_and_an_unticked_box(client, settings):
    settings.SCAN_RETENTION_DAYS = 45
    html = client.get(REGISTER_URL).content.decode()

    consent_text = text(element(html, "consent-text"))
    assert services.CONSENT_VERSION in consent_text
    assert "45" in consent_text  # how long scans are kept, from the setting
    assert "Kota Bekasi" in consent_text
    box = attributes(html, "consent")
    assert box["type"] == "checkbox" and box["name"] == "consent" and box["value"] == "on"
    assert "checked" not in box


def test_it_starts_with_one_member_row_for_the_head(client):
    html = client.get(REGISTER_URL).content.decode()

    members = element(html, "members")
    assert members.count("data-member>") == 1
    relationship = element(members, "members-0-relationship")
    assert '<option value="kepala_keluarga" selected>' in relationship


def test_it_posts_the_form_as_multipart(client):
    form = attributes(client.get(REGISTER_URL).content, "register-form")

    assert form["method"] == "post"
    assert form["enctype"] == "multipart/form-data"
