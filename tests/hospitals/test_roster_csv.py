"""The health office exports the roster as CSV and imports facilities and
agreements from CSV in admin (django-import-export): a file with any bad row
shows the error and saves nothing, not even its good rows."""

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages

from hospitals.models import Agreement, Facility
from registrations.models import Region
from tests.factories import staff_user
from tests.hospitals.helpers import health_office_user

pytestmark = pytest.mark.django_db

FACILITY_ADMIN = "/admin/hospitals/facility/"
AGREEMENT_ADMIN = "/admin/hospitals/agreement/"
FACILITY_HEADER = ("id,name,type,hospital_class,kemenkes_code,address,kecamatan,city,phone,inpatient,emergency_24h,"
                   "poned\n")
AGREEMENT_HEADER = "id,facility,pks_number,start_date,end_date,notes,is_demo\n"
GOOD_ROWS = (
    ",RS Impor Satu,rs_swasta,C,3275999001,Jl. Impor No. 1,32.75.04,,021-1111,1,1,0\n"
    ",Klinik Impor Dua,klinik,,,Jl. Impor No. 2,32.75.02,,,tidak,ya,0\n"
)


@pytest.fixture
def office(client):
    client.force_login(health_office_user())
    return client


def csv_format(model) -> str:
    """The index of CSV among the admin's formats, as the forms post it."""
    titles = [fmt().get_title() for fmt in admin.site._registry[model].get_import_formats()]
    return str(titles.index("csv"))


def csv_file(text: str, name: str = "roster.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def dry_run(client, base: str, model, text: str):
    return client.post(f"{base}import/", {"resource": "0", "format": csv_format(model), "import_file": csv_file(text)})


def confirm(client, base: str, response):
    """Post the confirm form the dry run showed (process_import)."""
    form = response.context["confirm_form"]
    return client.post(f"{base}process_import/", {name: form.initial.get(name, "") for name in form.fields})


def export(client, **extra):
    admin_form = client.get(f"{FACILITY_ADMIN}export/").context["form"]
    data = {"resource": "0", "format": csv_format(Facility), **extra}
    data.update({name: "on" for name in admin_form.fields if name.startswith("facilityresource_")})
    return client.post(f"{FACILITY_ADMIN}export/", data)


# --- Export -------------------------------------------------------------------


def test_it_exports_the_roster_as_csv_with_kecamatan_codes(office):
    response = export(office)

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 27
    by_name = {row["name"]: row for row in rows}
    assert "RS Hermina Bekasi" in by_name
    assert "RSUD Budhi Asih" in by_name
    rsud = by_name["RSUD dr. Chasbullah Abdulmadjid"]
    assert (rsud["type"], rsud["kecamatan"], rsud["city"], rsud["inpatient"]) == ("rsud", "32.75.04", "", "1")
    assert (by_name["RSUD Budhi Asih"]["kecamatan"], by_name["RSUD Budhi Asih"]["city"]) == ("", "DKI Jakarta")


def test_it_exports_only_the_selected_columns(office):
    admin_form = office.get(f"{FACILITY_ADMIN}export/").context["form"]
    assert {"facilityresource_name", "facilityresource_kecamatan"} <= set(admin_form.fields)

    response = office.post(f"{FACILITY_ADMIN}export/", {
        "resource": "0", "format": csv_format(Facility),
        "facilityresource_name": "on", "facilityresource_kecamatan": "on",
    })

    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == ["name", "kecamatan"]


def test_it_exports_a_name_that_looks_like_a_formula_behind_an_apostrophe(office):
    Facility.objects.create(name='=HYPERLINK("http://x")', type="klinik", address="Jl. Rumus", city="DKI Jakarta")

    rows = list(csv.DictReader(io.StringIO(export(office).content.decode("utf-8-sig"))))

    names = {row["name"] for row in rows}
    assert """'=HYPERLINK("http://x")""" in names
    assert not [name for name in names if name.startswith("=")]


@pytest.mark.parametrize("name", ["+SUM(1,1)", "@SUM(1,1)", "-2+3"])
def test_it_exports_no_cell_that_a_spreadsheet_would_run(office, name):
    Facility.objects.create(name=name, type="klinik", address="Jl. Rumus", city="DKI Jakarta")

    rows = list(csv.DictReader(io.StringIO(export(office).content.decode("utf-8-sig"))))

    assert not [row["name"] for row in rows if row["name"][:1] in "=+-@"]


def test_it_imports_its_own_export_back_unchanged(office):
    # Escaped on the way out, restored on the way in: an edited export of the
    # roster imports back as the same data.
    place = Facility.objects.create(
        name="@Klinik Uji", type="klinik", address="-Jl. Rumus", city="DKI Jakarta", phone="+62 21 8841005",
    )
    exported = export(office).content.decode("utf-8-sig")

    done = confirm(office, FACILITY_ADMIN, dry_run(office, FACILITY_ADMIN, Facility, exported))

    assert done.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.address, place.phone) == ("@Klinik Uji", "-Jl. Rumus", "+62 21 8841005")


# --- Import -------------------------------------------------------------------


def test_it_imports_new_facilities_after_the_confirmation(office):
    before = Facility.objects.count()

    preview = dry_run(office, FACILITY_ADMIN, Facility, FACILITY_HEADER + GOOD_ROWS)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert Facility.objects.count() == before  # the dry run saved nothing

    done = confirm(office, FACILITY_ADMIN, preview)

    assert done.status_code == 302
    assert [m.level for m in get_messages(done.wsgi_request)] == [messages.SUCCESS]
    assert Facility.objects.count() == before + 2
    one = Facility.objects.select_related("kecamatan").get(name="RS Impor Satu")
    assert (one.type, one.hospital_class, one.kemenkes_code, one.kecamatan.code, one.city) == (
        "rs_swasta", "C", "3275999001", "32.75.04", "",
    )
    assert (one.inpatient, one.emergency_24h, one.poned) == (True, True, False)
    two = Facility.objects.select_related("kecamatan").get(name="Klinik Impor Dua")
    assert (two.type, two.hospital_class, two.kecamatan.code) == ("klinik", "", "32.75.02")
    assert (two.inpatient, two.emergency_24h) == (False, True)


def test_it_imports_a_facility_outside_the_city(office):
    preview = dry_run(office, FACILITY_ADMIN, Facility,
                      FACILITY_HEADER + ",RS Impor Jakarta,rs_swasta,B,,Jl. Impor No. 3,,DKI Jakarta,,1,1,1\n")
    confirm(office, FACILITY_ADMIN, preview)

    jakarta = Facility.objects.get(name="RS Impor Jakarta")
    assert (jakarta.kecamatan_id, jakarta.city) == (None, "DKI Jakarta")


@pytest.mark.parametrize(
    "bad_row, shown",
    [
        (",RS Impor Salah,rs_swasta,C,,Jl. Salah,31.71.01,,,1,1,0\n", "31.71.01"),
        (",RS Impor Salah,rumah_sakit,C,,Jl. Salah,32.75.04,,,1,1,0\n", "rumah_sakit"),
        (",Puskesmas Impor Salah,puskesmas,B,,Jl. Salah,32.75.04,,,0,0,0\n", "Puskesmas Impor Salah"),
        (",RS Impor Salah,rs_swasta,C,,Jl. Salah,32.75.04,DKI Jakarta,,1,1,0\n", "RS Impor Salah"),
        (",RS Impor Salah,rs_swasta,C,,Jl. Salah,32.75.04,,,mungkin,1,0\n", "mungkin"),
        (",RS Anna,rs_swasta,C,,Jl. Salah,32.75.04,,,1,1,0\n", "RS Anna"),
    ],
    ids=["kecamatan-of-another-city", "unknown-type", "puskesmas-with-class", "kecamatan-and-city",
         "not-yes-or-no", "name-already-on-roster"],
)
def test_it_shows_a_bad_row_and_imports_nothing_not_even_the_good_rows(office, bad_row, shown):
    before = sorted(Facility.objects.values_list("pk", "name"))

    preview = dry_run(office, FACILITY_ADMIN, Facility, FACILITY_HEADER + GOOD_ROWS + bad_row)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    assert [row.number for row in result.invalid_rows] == [3]
    assert "confirm_form" not in preview.context
    assert shown in preview.content.decode()
    assert sorted(Facility.objects.values_list("pk", "name")) == before


def test_it_imports_nothing_if_a_row_became_bad_between_preview_and_confirmation(office):
    """All or nothing at the confirmation too: when a colleague imported the
    same file first, the second confirmation must not half-apply it and
    report success."""
    preview = dry_run(office, FACILITY_ADMIN, Facility, FACILITY_HEADER + GOOD_ROWS)
    assert "confirm_form" in preview.context
    # Meanwhile the first row's facility was added by someone else.
    Facility.objects.create(name="RS Impor Satu", type="rs_swasta", address="Jl. Lain",
                            kecamatan=Region.objects.get(code="32.75.04"))
    before = Facility.objects.count()

    done = confirm(office, FACILITY_ADMIN, preview)

    assert Facility.objects.count() == before
    assert not Facility.objects.filter(name="Klinik Impor Dua").exists()
    assert done.status_code == 302
    shown = list(get_messages(done.wsgi_request))
    assert [m.level for m in shown] == [messages.ERROR]
    assert str(shown[0])


def test_it_imports_no_agreement_if_one_became_bad_before_the_confirmation(office):
    text = (AGREEMENT_HEADER + ",RS Bella,PKS/RS-BELLA/2030,2030-01-01,2030-12-31,,\n"
            + ",RS Anna,PKS/RS-ANNA/2030,2030-01-01,2030-12-31,,\n")
    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)
    assert "confirm_form" in preview.context
    # Meanwhile a colleague recorded the Anna agreement by hand.
    Agreement.objects.create(facility=Facility.objects.get(name="RS Anna"), pks_number="PKS/RS-ANNA/2030",
                             start_date=dt.date(2030, 1, 1), end_date=dt.date(2030, 12, 31))
    before = Agreement.objects.count()

    done = confirm(office, AGREEMENT_ADMIN, preview)

    assert Agreement.objects.count() == before
    assert not Agreement.objects.filter(pks_number="PKS/RS-BELLA/2030").exists()
    assert [m.level for m in get_messages(done.wsgi_request)] == [messages.ERROR]


def test_it_imports_an_agreement_by_facility_name_as_not_demo(office):
    place = Facility.objects.get(name="RS Bella")
    text = AGREEMENT_HEADER + ",RS Bella,PKS/RS-BELLA/2028,2028-01-01,2029-12-31,Perpanjangan,1\n"

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)
    assert "confirm_form" in preview.context, preview.content.decode()[-3000:]
    done = confirm(office, AGREEMENT_ADMIN, preview)

    assert done.status_code == 302
    imported = Agreement.objects.get(pks_number="PKS/RS-BELLA/2028")
    assert imported.facility == place
    assert (imported.start_date.isoformat(), imported.end_date.isoformat()) == ("2028-01-01", "2029-12-31")
    # is_demo is shown in exports but never imported: an imported PKS is real.
    assert imported.is_demo is False
    assert imported.confirmed_at is None


def test_it_shows_an_agreement_row_of_an_unknown_facility_and_imports_nothing(office):
    before = Agreement.objects.count()
    text = (AGREEMENT_HEADER + ",RS Bella,PKS/BAIK/1,2028-01-01,2029-12-31,,\n"
            + ",RS Tidak Ada,PKS/BURUK/1,2028-01-01,2029-12-31,,\n")

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)

    assert "confirm_form" not in preview.context
    assert Agreement.objects.count() == before


def test_it_shows_an_agreement_ending_before_it_starts_and_imports_nothing(office):
    before = Agreement.objects.count()
    text = AGREEMENT_HEADER + ",RS Bella,PKS/MUNDUR/1,2029-12-31,2028-01-01,,\n"

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)

    assert "confirm_form" not in preview.context
    assert preview.context["result"].invalid_rows or preview.context["result"].has_errors()
    assert Agreement.objects.count() == before


# --- Who may ------------------------------------------------------------------


def test_it_keeps_kelurahan_staff_away_from_the_import_and_export(client):
    client.force_login(staff_user("32.75.02.1002"))
    before = Facility.objects.count()

    for url in (f"{FACILITY_ADMIN}import/", f"{FACILITY_ADMIN}export/", f"{AGREEMENT_ADMIN}import/"):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(f"{FACILITY_ADMIN}import/", {
        "resource": "0", "format": csv_format(Facility), "import_file": csv_file(FACILITY_HEADER + GOOD_ROWS),
    })

    assert response.status_code in (302, 403)
    assert Facility.objects.count() == before


def test_it_keeps_anonymous_visitors_away_from_the_import(client):
    response = client.get(f"{FACILITY_ADMIN}import/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]
