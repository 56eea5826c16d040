"""The complaint list shows phone and NIK masked; full digits only on the
complaint itself, whose opening is recorded."""

import pytest
from django.urls import reverse

from tests.complaints.helpers import NIK, desk_user, submit

pytestmark = pytest.mark.django_db


def test_it_masks_phone_and_nik_in_the_list(client):
    submit(phone="081234567890")
    client.force_login(desk_user())

    html = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()

    assert "+628•••••••890" in html
    assert f"{NIK[:4]}••••••••{NIK[-4:]}" in html
    assert NIK not in html
    assert "+6281234567890" not in html
    assert "81234567" not in html


def test_it_shows_a_dash_when_no_nik_was_given(client):
    submit(nik="")
    client.force_login(desk_user())

    html = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()

    assert '<td class="field-nik_masked">—</td>' in html
