"""POST /api/v1/complaints/ stores the complaint and answers with its ticket."""

import re

import pytest

from complaints.models import Complaint
from tests.complaints.helpers import API_URL, NIK, complaint_data

pytestmark = pytest.mark.django_db


def test_it_answers_201_with_a_ticket_and_stores_the_complaint(client):
    response = client.post(API_URL, complaint_data(), content_type="application/json")

    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert re.fullmatch(r"ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", ticket)
    complaint = Complaint.objects.get(ticket=ticket)
    assert (complaint.name, complaint.nik, complaint.category, complaint.status) == (
        "Siti Aminah", NIK, "kartu_belum_jadi", "new",
    )
    assert complaint.message.startswith("Sudah daftar dua bulan lalu")
    assert response.json() == {"ticket": ticket}


@pytest.mark.parametrize("typed", ["081234567890", "6281234567890", "+6281234567890", "+62 812-3456-7890"])
def test_it_stores_the_phone_as_plus_62(client, typed):
    response = client.post(API_URL, complaint_data(phone=typed), content_type="application/json")

    assert response.status_code == 201
    assert Complaint.objects.get().phone == "+6281234567890"


@pytest.mark.parametrize("nik", [None, "", "   "])
def test_it_accepts_a_complaint_without_nik(client, nik):
    data = complaint_data(nik=nik)
    if nik is None:
        del data["nik"]

    response = client.post(API_URL, data, content_type="application/json")

    assert response.status_code == 201
    assert Complaint.objects.get().nik == ""


def test_it_stores_a_nik_typed_with_separators_as_digits(client):
    typed = f"{NIK[:6]}.{NIK[6:12]}-{NIK[12:]}"

    response = client.post(API_URL, complaint_data(nik=typed), content_type="application/json")

    assert response.status_code == 201
    assert Complaint.objects.get().nik == NIK


def test_it_gives_each_complaint_its_own_ticket(client):
    tickets = {
        client.post(API_URL, complaint_data(), content_type="application/json").json()["ticket"] for _ in range(5)
    }

    assert len(tickets) == 5
    assert Complaint.objects.count() == 5


def test_it_records_a_citizen_complaint_with_no_staff_author(client):
    response = client.post(API_URL, complaint_data(), content_type="application/json")

    complaint = Complaint.objects.get(ticket=response.json()["ticket"])
    created = complaint.history.get()
    assert created.history_type == "+" and created.history_user is None
