"""The city keeps the number of KK per kelurahan: city-wide staff import it as
CSV (code,households_total), a file with one bad row saves nothing, and a
kelurahan or kecamatan user reads its own area's totals but cannot change or
import them."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.models import KelurahanHouseholdTotal, Region
from tests.factories import BEKASI_BARAT, CITY, KRANJI, MARGAJAYA, staff_user

pytestmark = pytest.mark.django_db

BASE = "/admin/registrations/kelurahanhouseholdtotal/"


def _format() -> str:
    titles = [fmt().get_title() for fmt in admin.site._registry[KelurahanHouseholdTotal].get_import_formats()]
    return str(titles.index("csv"))


def _dry_run(client, text: str):
    upload = SimpleUploadedFile("kk.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(f"{BASE}import/", {"resource": "0", "format": _format(), "import_file": upload})


def _confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(f"{BASE}process_import/", {name: form.initial.get(name, "") for name in form.fields})


def _errors(preview) -> list[str]:
    result = preview.context["result"]
    found = [str(m) for row in result.invalid_rows for messages in row.error_dict.values() for m in messages]
    found += [str(e.error) for _number, errors in result.row_errors() for e in errors]
    return found


def _totals() -> dict:
    return dict(KelurahanHouseholdTotal.objects.values_list("kelurahan__code", "households_total"))


def test_it_imports_totals_by_kelurahan_code_and_updates_them_on_a_second_file(client):
    client.force_login(staff_user(CITY, username="kota.bekasi"))

    preview = _dry_run(client, f"code,households_total\n{KRANJI},12500\n{MARGAJAYA},\"9.800\"\n")
    assert "confirm_form" in preview.context
    assert _confirm(client, preview).status_code == 302
    assert _totals() == {KRANJI: 12500, MARGAJAYA: 9800}

    preview = _dry_run(client, f"code;households_total\n{KRANJI};13000\n")
    _confirm(client, preview)
    assert _totals() == {KRANJI: 13000, MARGAJAYA: 9800}
    assert KelurahanHouseholdTotal.history.filter(kelurahan__code=KRANJI).count() == 2


@pytest.mark.parametrize("bad_row, shown", [
    ("32.75.99.9999,100", "32.75.99.9999"),
    (f"{BEKASI_BARAT},100", BEKASI_BARAT),
    (f"{MARGAJAYA},0", "'0'"),
    (f"{MARGAJAYA},banyak", "'banyak'"),
])
def test_it_saves_nothing_from_a_file_with_a_bad_row_and_names_the_bad_value(client, bad_row, shown):
    client.force_login(staff_user(CITY, username="kota.bekasi"))

    preview = _dry_run(client, f"code,households_total\n{KRANJI},12500\n{bad_row}\n")

    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    assert any(shown in message for message in _errors(preview)), _errors(preview)
    assert _totals() == {}


@pytest.mark.parametrize("area", [KRANJI, BEKASI_BARAT])
def test_it_lets_a_kelurahan_or_kecamatan_user_read_its_area_only(client, area):
    for code in (KRANJI, MARGAJAYA):
        KelurahanHouseholdTotal.objects.create(kelurahan=Region.objects.get(code=code), households_total=9000)
    client.force_login(staff_user(area))

    listed = client.get(BASE)
    assert listed.status_code == 200
    assert [row.kelurahan.code for row in listed.context["cl"].result_list] == [KRANJI]
    assert client.get(f"{BASE}import/").status_code == 403
    assert client.get(f"{BASE}add/").status_code == 403
    own = KelurahanHouseholdTotal.objects.get(kelurahan__code=KRANJI)
    response = client.post(f"{BASE}{own.pk}/change/", {"households_total": "1"})
    assert response.status_code == 403
    assert KelurahanHouseholdTotal.objects.get(pk=own.pk).households_total == 9000


def test_it_lets_the_city_type_a_total_in_the_admin(client):
    client.force_login(staff_user(CITY, username="kota.bekasi"))
    kranji = Region.objects.get(code=KRANJI)

    response = client.post(f"{BASE}add/", {"kelurahan": kranji.pk, "households_total": "11200"})

    assert response.status_code == 302, response.content
    assert _totals() == {KRANJI: 11200}


def test_it_exports_a_kelurahan_users_own_rows_only(client):
    for code in (KRANJI, MARGAJAYA):
        KelurahanHouseholdTotal.objects.create(kelurahan=Region.objects.get(code=code), households_total=9000)
    client.force_login(staff_user(KRANJI))
    form = client.get(f"{BASE}export/").context["form"]
    data = {"resource": "0", "format": _format()}
    data.update({name: "on" for name in form.fields if name.startswith("kelurahanhouseholdtotalresource_")})

    response = client.post(f"{BASE}export/", data)

    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert text.lstrip("\ufeff").startswith("code,households_total")  # the import reads it back
    assert KRANJI in text and MARGAJAYA not in text
