"""Data-subject access (UU No. 27/2022): staff of the person's area export
everything held about a NIK (registrations, households and memberships with
their history, cards and their timeline, coverage checks, emergency requests,
complaints, access-log entries about them) as JSON and a readable PDF in one
ZIP; the export is logged, and other people's data stays out."""

from __future__ import annotations

import io
import json
import zipfile

import pymupdf
import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from complaints.roles import COMPLAINT_DESK
from complaints.services import complaint_submit
from kartusehat.personal_data import subject_ref
from registrations import services
from registrations.models import AccessLog, Member, Region, StaffArea
from tests.factories import CITY, KRANJI, MARGAJAYA, UserFactory, registration_data, staff_user, superuser
from tests.hospitals.helpers import (
    EMERGENCY_URL,
    facility,
    hospital_key,
    hospital_user,
    keyed,
    pdf_bytes,
    upload,
    verify,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/registrations/member/personal-data/"


@pytest.fixture
def private_dir(settings, tmp_path, monkeypatch):
    from django.core.files.storage import storages

    from hospitals.models import EmergencyRequest

    root = tmp_path / "private-media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(root), "base_url": None}},
    }
    monkeypatch.setattr(EmergencyRequest._meta.get_field("letter"), "storage", storages["private"])
    return root


@pytest.fixture
def person(private_dir):
    """A head of household with a history in every app: a rejected application, then a verified
    one, a card, a hospital's coverage check and emergency request, a complaint, and staff reads."""
    data = registration_data(KRANJI, size=3)
    first = services.registration_submit(data=data, channel="online")
    services.registration_reject(registration_id=first.pk, by=superuser(), reason="Foto KK tidak terbaca.")
    second = services.registration_submit(data=data, channel="online")
    services.registration_verify(registration_id=second.pk, by=superuser())
    head = Member.objects.get(nik=data["members"][0]["nik"])
    services.member_correct_name(member_id=head.pk, full_name=head.full_name + " Saputra", by=superuser())
    head.refresh_from_db()

    _staff, key = hospital_key(hospital_user(facility("RS Uji Kenanga")))
    api = keyed(APIClient(), key)
    assert verify(api, {"nik": head.nik}).status_code == 200
    response = api.post(EMERGENCY_URL, {"nik": head.nik, "reason": "rawat_inap", "notes": "Demam berdarah",
                                        "letter": upload(pdf_bytes())}, format="multipart")
    assert response.status_code == 201, response.content
    complaint = complaint_submit(data={"name": head.full_name, "phone": "081234567890", "category": "data_salah",
                                       "message": "Nama saya salah ketik.", "nik": head.nik})
    others = [m for m in data["members"][1:]]
    return {"head": head, "first": first, "second": second, "complaint": complaint, "others": others}


def export(client, nik: str, **extra):
    return client.post(EXPORT_URL, {"nik": nik, **extra})


def unzip(response) -> tuple[dict, str]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == ["data-pribadi.json", "data-pribadi.pdf"]
    body = json.loads(bundle.read("data-pribadi.json"))
    with pymupdf.open(stream=bundle.read("data-pribadi.pdf"), filetype="pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
    return body, text


def test_it_exports_everything_held_about_the_nik_as_json_and_pdf_in_one_zip(client, person):
    head = person["head"]
    reader = staff_user(KRANJI)
    client.force_login(reader)
    client.get(f"/admin/registrations/household/{head.household_id}/change/")  # a read the export must list

    body, text = unzip(export(client, head.nik))

    sections = body["sections"]
    assert body["nik"] == head.nik
    assert [r["reference"] for r in sections["registrations"]["records"]] == [
        person["first"].reference, person["second"].reference]
    assert sections["registrations"]["records"][0]["rejection_reason"] == "Foto KK tidak terbaca."
    (membership,) = sections["households"]["records"]
    assert membership["full_name"] == head.full_name
    assert membership["kk_number"] == head.household.kk_number
    assert [c["full_name"] for c in membership["member_changes"]][-1] == head.full_name  # the corrected name
    (card,) = sections["cards"]["records"]
    assert len(card["timeline"]) == 2  # queued, then raised to emergency by the hospital's request
    assert [c["purpose"] for c in sections["coverage_checks"]["records"]]  # the check and the emergency request
    (emergency,) = sections["emergency_requests"]["records"]
    assert (emergency["facility"], emergency["notes"]) == ("RS Uji Kenanga", "Demam berdarah")
    (complaint,) = sections["complaints"]["records"]
    assert complaint["ticket"] == person["complaint"].ticket
    reads = sections["access_log"]["records"]
    assert {(r["user"], r["object_type"]) for r in reads} >= {(reader.username, "household")}
    # The readable copy says the same.
    for shown in (head.full_name, person["first"].reference, person["complaint"].ticket, "RS Uji Kenanga"):
        assert shown in text


def test_it_leaves_out_the_other_members_names_and_niks(client, person):
    client.force_login(staff_user(KRANJI))

    response = export(client, person["head"].nik)
    body, text = unzip(response)

    raw = json.dumps(body)
    for other in person["others"]:
        assert other["nik"] not in raw and other["nik"] not in text
        assert other["full_name"] not in raw and other["full_name"] not in text
    relationships = [m["relationship"] for m in body["sections"]["households"]["records"][0]["other_members"]]
    assert len(relationships) == 2


def test_it_records_the_export_in_the_access_log_without_the_nik(client, person):
    nik = person["head"].nik
    staff = staff_user(KRANJI)
    client.force_login(staff)

    unzip(export(client, nik, request_reference="Surat 12/2026"))

    entry = AccessLog.objects.get(action="export")
    assert (entry.user, entry.object_type, entry.object_id) == (staff, "person", subject_ref(nik))
    assert "Surat 12/2026" in entry.detail
    assert nik not in f"{entry.object_id} {entry.detail}"
    # The next export lists the first one.
    body, _text = unzip(export(client, nik))
    earlier = [r for r in body["sections"]["access_log"]["records"] if r["object_type"] == "person"]
    assert [(r["user"], r["object_id"]) for r in earlier] == [(staff.username, "")]


def test_it_exports_from_the_members_page_in_one_step(client, person):
    head = person["head"]
    client.force_login(staff_user(KRANJI))

    page = client.get(f"/admin/registrations/member/{head.pk}/change/")
    assert f"/admin/registrations/member/{head.pk}/personal-data/" in page.content.decode()

    body, _text = unzip(client.post(f"/admin/registrations/member/{head.pk}/personal-data/", {"nik": head.nik}))
    assert body["nik"] == head.nik


def test_it_refuses_staff_of_another_kelurahan_as_if_the_person_were_unknown_and_records_it(client, person):
    nik = person["head"].nik
    outsider = staff_user(MARGAJAYA)
    client.force_login(outsider)

    response = export(client, nik)
    unknown = export(client, "3275014101900001")

    assert response.status_code == unknown.status_code == 200  # the form again, with the same message
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors == unknown.context["form"].errors
    assert not AccessLog.objects.filter(action="export").exists()
    denied = AccessLog.objects.get(action="denied", object_type="person")
    assert (denied.user, denied.object_id) == (outsider, subject_ref(nik))


def test_it_answers_403_to_a_city_wide_role_without_the_export_permission(client, person):
    desk = UserFactory(username="aduan")
    desk.groups.add(Group.objects.get(name=COMPLAINT_DESK))
    StaffArea.objects.create(user=desk, region=Region.objects.get(code=CITY))
    client.force_login(desk)

    assert client.get(EXPORT_URL).status_code == 403
    assert export(client, person["head"].nik).status_code == 403
    assert client.post(f"/admin/registrations/member/{person['head'].pk}/personal-data/",
                       {"nik": person["head"].nik}).status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()


def test_it_lets_city_staff_export_a_nik_held_only_in_a_complaint(client):
    nik = registration_data(KRANJI)["members"][0]["nik"]
    complaint_submit(data={"name": "Warga", "phone": "081234567890", "category": "lainnya",
                           "message": "Pertanyaan.", "nik": nik})
    client.force_login(staff_user(KRANJI))
    assert export(client, nik)["Content-Type"].startswith("text/html")  # a kelurahan cannot tell whose it is

    client.force_login(staff_user(CITY))
    body, _text = unzip(export(client, nik))

    assert [c["nik"] for c in body["sections"]["complaints"]["records"]] == [nik]
    assert body["sections"]["registrations"]["records"] == []


def test_it_sends_the_request_to_the_kelurahan_the_person_lives_in_now(client, person):
    """A kelurahan the person left must not learn where they live now."""
    head = person["head"]
    child = head.household.members.exclude(pk=head.pk).first()
    services.member_end(member_id=child.pk, by=superuser(), reason="Pindah KK")
    moved = registration_data(MARGAJAYA, size=1)
    moved["members"][0].update(nik=child.nik, full_name=child.full_name, birth_date=child.birth_date.isoformat(),
                               sex=child.sex, relationship="kepala_keluarga")
    services.registration_verify(
        registration_id=services.registration_submit(data=moved, channel="online").pk, by=superuser())

    client.force_login(staff_user(KRANJI))
    assert export(client, child.nik)["Content-Type"].startswith("text/html")

    client.force_login(staff_user(MARGAJAYA))
    body, _text = unzip(export(client, child.nik))
    assert {r["kelurahan"] for r in body["sections"]["households"]["records"]} == {"Kranji", "Margajaya"}


def test_it_sends_the_request_to_where_a_person_who_left_a_kk_has_applied_since(client, person):
    head = person["head"]
    child = head.household.members.exclude(pk=head.pk).first()
    services.member_end(member_id=child.pk, by=superuser(), reason="Pindah KK")
    moved = registration_data(MARGAJAYA, size=1)
    moved["members"][0].update(nik=child.nik, full_name=child.full_name, birth_date=child.birth_date.isoformat(),
                               sex=child.sex, relationship="kepala_keluarga")
    services.registration_submit(data=moved, channel="online")  # still waiting for Margajaya

    client.force_login(staff_user(KRANJI))
    assert export(client, child.nik)["Content-Type"].startswith("text/html")

    client.force_login(staff_user(MARGAJAYA))
    body, _text = unzip(export(client, child.nik))
    assert [r["kelurahan"] for r in body["sections"]["registrations"]["records"]][-1] == "Margajaya"
