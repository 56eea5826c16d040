"""The complaint form at /aduan/: same rules as the API, errors beside their field."""

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.helpers import DONE_URL, FORM_URL, NIK, complaint_data

pytestmark = pytest.mark.django_db


def test_it_is_served_at_aduan_with_the_five_categories(client):
    response = client.get(FORM_URL)

    assert response.status_code == 200
    html = response.content.decode()
    select = re.search(r'<select id="id_category".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="([a-z_]+)"', select)
    assert options == ["kartu_belum_jadi", "data_salah", "pendaftaran", "layanan_rumah_sakit", "lainnya"]
    assert 'inputmode="numeric"' in html and 'type="tel"' in html and 'autocomplete="tel"' in html
    assert reverse("complaints:new") == FORM_URL and reverse("complaints:done") == DONE_URL


def test_it_stores_the_complaint_and_shows_the_ticket_on_the_done_page(client):
    response = client.post(FORM_URL, complaint_data())

    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    complaint = Complaint.objects.get()
    assert complaint.phone == "+6281234567890" and complaint.nik == NIK
    assert complaint.ticket not in response["Location"]

    done = client.get(response["Location"])

    assert done.status_code == 200
    assert complaint.ticket in done.content.decode()
    assert "+62 811-1999-119" in done.content.decode()  # the WhatsApp hotline


def test_it_shows_the_ticket_only_to_the_browser_that_sent_it(client):
    from django.test import Client

    client.post(FORM_URL, complaint_data())
    ticket = Complaint.objects.get().ticket

    other = Client().get(DONE_URL)

    assert other.status_code == 302 and other["Location"] == FORM_URL
    assert ticket not in other.content.decode()


def test_it_keeps_what_was_typed_and_puts_each_error_next_to_its_field(client):
    data = complaint_data(phone="12345", message="Kartu belum ada", nik="")

    response = client.post(FORM_URL, data | {"message": "Pendek"}, headers={"Cookie": "django_language=en"})

    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    html = response.content.decode()
    assert 'value="Siti Aminah"' in html
    assert 'value="12345"' in html
    assert "Pendek</textarea>" in html
    assert re.search(r'<option value="kartu_belum_jadi" selected>', html)
    # The phone message sits in the phone field's own error paragraph, and the
    # input points at it.
    phone_field = re.search(r'<div class="field has-error">\s*<label for="id_phone">.*?</div>', html, re.S).group(0)
    assert '<p class="error" id="phone-error">Enter an Indonesian mobile number, e.g. 081234567890.</p>' in phone_field
    assert 'aria-invalid="true"' in phone_field and "phone-error" in phone_field
    message_field = re.search(r'<div class="field has-error">\s*<label for="id_message">.*?</div>', html, re.S).group(0)
    assert 'id="message-error"' in message_field
    assert '<div class="field has-error">\n    <label for="id_name">' not in html
    assert 'class="error-summary" role="alert"' in html
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert '<a href="#id_phone">Enter an Indonesian mobile number, e.g. 081234567890.</a>' in summary
    assert 'href="#id_message"' in summary and 'href="#id_name"' not in summary


def test_it_prefills_the_category_from_the_link(client):
    html = client.get(FORM_URL, {"kategori": "data_salah"}).content.decode()

    assert '<option value="data_salah" selected>' in html


def test_it_ignores_an_unknown_category_in_the_link(client):
    html = client.get(FORM_URL, {"kategori": '"><script>'}).content.decode()

    assert "<script>" not in html
    assert '<option value="" selected>' in html
