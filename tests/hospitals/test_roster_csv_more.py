"""The roster CSV import answers what spreadsheets really produce: ";"
between cells, dates written the Indonesian way, facilities by id, and says
clearly what to fix for a bad id, a bad date, an ambiguous facility name or
a control character; an exported formula-looking note comes back unchanged."""

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin

from hospitals.models import Agreement, Facility
from registrations.models import Region
from tests.hospitals.helpers import health_office_user

pytestmark = pytest.mark.django_db

FACILITY_ADMIN = "/admin/hospitals/facility/"
AGREEMENT_ADMIN = "/admin/hospitals/agreement/"
AGREEMENT_HEADER = "id,facility,pks_number,start_date,end_date,notes,is_demo\n"
FACILITY_HEADER = ("id,name,type,hospital_class,kemenkes_code,address,kecamatan,city,phone,inpatient,emergency_24h,"
                   "poned\n")


# --- Copied from test_roster_csv.py (the admin's import and export forms) --------------


@pytest.fixture
def office(client):
    client.force_login(health_office_user())
    return client


def csv_format(model) -> str:
    titles = [fmt().get_title() for fmt in admin.site._registry[model].get_import_formats()]
    return str(titles.index("csv"))


def csv_file(text: str, name: str = "roster.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def dry_run(client, base: str, model, text: str):
    return client.post(f"{base}import/", {"resource": "0", "format": csv_format(model), "import_file": csv_file(text)})


def confirm(client, base: str, response):
    form = response.context["confirm_form"]
    return client.post(f"{base}process_import/", {name: form.initial.get(name, "") for name in form.fields})


def export_agreements(client):
    admin_form = client.get(f"{AGREEMENT_ADMIN}export/").context["form"]
    data = {"resource": "0", "format": csv_format(Agreement)}
    data.update({name: "on" for name in admin_form.fields if name.startswith("agreementresource_")})
    return client.post(f"{AGREEMENT_ADMIN}export/", data)


# --- Helpers of this file --------------------------------------------------------------


def imported(client, base: str, model, text: str):
    """Dry run, then confirm; the dry run must have offered the confirmation."""
    preview = dry_run(client, base, model, text)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context, row_errors(preview)
    done = confirm(client, base, preview)
    assert done.status_code == 302
    return done


def row_errors(preview) -> list[str]:
    """Every error message the preview shows, per row and per file."""
    result = preview.context["result"]
    found = []
    for row in result.invalid_rows:
        for messages in row.error_dict.values():
            found.extend(str(m) for m in messages)
    for _number, errors in result.row_errors():
        found.extend(str(e.error) for e in errors)
    found.extend(str(e.error) for e in result.base_errors)
    return found


def assert_refused(preview, *, shown: str | None = None) -> list[str]:
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    errors = row_errors(preview)
    assert errors and all(errors)
    if shown is not None:
        assert shown in preview.content.decode()
    return errors


# --- Separators, ids and dates --------------------------------------------------------------


def test_it_imports_a_file_with_semicolons(office):
    text = ("id;facility;pks_number;start_date;end_date;notes;is_demo\n"
            ";RS Bella;PKS/TITIKKOMA/2028;2028-01-01;2029-12-31;Dari Excel, bahasa Indonesia;\n")

    imported(office, AGREEMENT_ADMIN, Agreement, text)

    agreement = Agreement.objects.get(pks_number="PKS/TITIKKOMA/2028")
    assert agreement.facility.name == "RS Bella"
    assert (agreement.start_date, agreement.end_date) == (dt.date(2028, 1, 1), dt.date(2029, 12, 31))
    assert agreement.notes == "Dari Excel, bahasa Indonesia"


def test_it_imports_a_facilities_file_with_semicolons(office):
    text = (FACILITY_HEADER.replace(",", ";")
            + ";Klinik Titik Koma;klinik;;;Jl. Koma, No. 5;32.75.02;;;0;1;0\n")

    imported(office, FACILITY_ADMIN, Facility, text)

    place = Facility.objects.get(name="Klinik Titik Koma")
    assert (place.address, place.kecamatan.code, place.emergency_24h) == ("Jl. Koma, No. 5", "32.75.02", True)


def test_it_shows_an_id_that_is_not_a_number_and_imports_nothing(office):
    before = Agreement.objects.count()
    text = (AGREEMENT_HEADER + ",RS Bella,PKS/BAIK/2028,2028-01-01,2029-12-31,,\n"
            + "abc,RS Anna,PKS/ID-HURUF/2028,2028-01-01,2029-12-31,,\n")

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)

    assert_refused(preview)
    result = preview.context["result"]
    assert [number for number, _errors in result.row_errors()] + [row.number for row in result.invalid_rows] == [2]
    assert "Traceback" not in preview.content.decode()  # a message for the officer, not a crash report
    assert Agreement.objects.count() == before


@pytest.mark.parametrize("sep", ["-", "/"], ids=["dashes", "slashes"])
def test_it_imports_dates_written_day_first(office, sep):
    def day_first(day, month, year):
        return sep.join([day, month, year])

    text = (AGREEMENT_HEADER
            + f",RS Bella,PKS/TANGGAL/2027,{day_first('01', '02', '2027')},{day_first('31', '12', '2027')},,\n"
            + f",RS Anna,PKS/TANGGAL/2028,{day_first('13', '01', '2028')},{day_first('05', '11', '2028')},,\n")

    imported(office, AGREEMENT_ADMIN, Agreement, text)

    bella = Agreement.objects.get(pks_number="PKS/TANGGAL/2027")
    anna = Agreement.objects.get(pks_number="PKS/TANGGAL/2028")
    assert (bella.start_date, bella.end_date) == (dt.date(2027, 2, 1), dt.date(2027, 12, 31))
    assert (anna.start_date, anna.end_date) == (dt.date(2028, 1, 13), dt.date(2028, 11, 5))


@pytest.mark.parametrize("bad_date", ["2027/31/12", "31.12.2027", "12-31-2027", "besok"])
def test_it_shows_a_date_it_cannot_read_and_imports_nothing(office, bad_date):
    before = Agreement.objects.count()
    text = AGREEMENT_HEADER + f",RS Bella,PKS/SALAH-TANGGAL/2027,2027-01-01,{bad_date},,\n"

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)

    errors = assert_refused(preview)
    assert any(bad_date in message for message in errors)
    assert Agreement.objects.count() == before


# --- Facilities by id or by name --------------------------------------------------------


def test_it_imports_an_agreement_naming_its_facility_by_id(office):
    place = Facility.objects.get(name="RS Bella")
    text = AGREEMENT_HEADER + f",{place.pk},PKS/DENGAN-ID/2028,2028-01-01,2029-12-31,,\n"

    imported(office, AGREEMENT_ADMIN, Agreement, text)

    assert Agreement.objects.get(pks_number="PKS/DENGAN-ID/2028").facility == place


def test_it_shows_a_facility_id_not_on_the_roster(office):
    text = AGREEMENT_HEADER + ",999999,PKS/ID-TIDAK-ADA/2028,2028-01-01,2029-12-31,,\n"

    assert_refused(dry_run(office, AGREEMENT_ADMIN, Agreement, text), shown="999999")
    assert not Agreement.objects.filter(pks_number="PKS/ID-TIDAK-ADA/2028").exists()


def test_it_asks_for_the_id_of_a_facility_name_two_facilities_share(office):
    in_city = Facility.objects.create(name="RS Kembar Sehat", type="rs_swasta", address="Jl. Kembar 1",
                                      kecamatan=Region.objects.get(code="32.75.04"))
    in_jakarta = Facility.objects.create(name="RS Kembar Sehat", type="rs_swasta", address="Jl. Kembar 2",
                                         city="DKI Jakarta")
    text = AGREEMENT_HEADER + ",RS Kembar Sehat,PKS/KEMBAR/2028,2028-01-01,2029-12-31,,\n"

    preview = dry_run(office, AGREEMENT_ADMIN, Agreement, text)

    errors = assert_refused(preview, shown="RS Kembar Sehat")
    assert any("RS Kembar Sehat" in message for message in errors)
    assert not Agreement.objects.filter(pks_number="PKS/KEMBAR/2028").exists()
    # Its message is not the one for a name nobody has.
    unknown = assert_refused(dry_run(office, AGREEMENT_ADMIN, Agreement,
                                     AGREEMENT_HEADER + ",RS Tidak Ada,PKS/KEMBAR/2028,2028-01-01,2029-12-31,,\n"))
    assert {m.replace("RS Kembar Sehat", "") for m in errors} != {m.replace("RS Tidak Ada", "") for m in unknown}
    # With the id, it imports.
    imported(office, AGREEMENT_ADMIN, Agreement,
        AGREEMENT_HEADER + f",{in_jakarta.pk},PKS/KEMBAR/2028,2028-01-01,2029-12-31,,\n")
    assert Agreement.objects.get(pks_number="PKS/KEMBAR/2028").facility == in_jakarta
    assert not in_city.agreements.exists()


# --- Control characters and formulas ---------------------------------------------------


@pytest.mark.parametrize("column", ["name", "address"])
def test_it_shows_a_control_character_in_a_facility_and_imports_nothing(office, column):
    before = Facility.objects.count()
    name, address = "Klinik Kendali", "Jl. Kendali No. 1"
    if column == "name":
        name = "Klinik \x1b[31mKendali"
    else:
        address = "Jl. Kendali\x1b No. 1"
    text = FACILITY_HEADER + f",{name},klinik,,,{address},32.75.02,,,0,0,0\n"

    preview = dry_run(office, FACILITY_ADMIN, Facility, text)

    assert_refused(preview)
    assert Facility.objects.count() == before
    assert not Facility.objects.filter(name__contains="Kendali").exists()


def test_it_imports_an_exported_formula_like_note_back_unchanged(office):
    agreement = Agreement.objects.filter(facility__name="RS Bella").get()
    Agreement.objects.filter(pk=agreement.pk).update(notes="=1+1")
    exported = export_agreements(office)
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["id"] == str(agreement.pk))
    assert row["notes"] == "'=1+1"  # not a formula in a spreadsheet
    # The officer extends the agreement in the file and imports it back.
    row["end_date"] = "2028-12-31"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)

    imported(office, AGREEMENT_ADMIN, Agreement, out.getvalue())

    agreement.refresh_from_db()
    assert agreement.notes == "=1+1"
    assert agreement.end_date == dt.date(2028, 12, 31)
    assert Agreement.objects.filter(notes__startswith="'").count() == 0
