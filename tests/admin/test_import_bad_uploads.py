"""A bad upload gets a message beside the field it concerns, in Bahasa
Indonesia, and keeps nothing: an empty file, a file of another type, an old
.xls, a file too big, a header without a required column (the column named),
a missing file, a crafted kelurahan; and whatever a fuzzer posts, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations import imports
from registrations.models import HouseholdImport
from tests.admin.import_helpers import (
    add_url,
    csv_bytes,
    household,
    import_storage,  # noqa: F401 - fixture
    lines_of,
    rows_of,
    upload,
    xlsx_bytes,
)
from tests.factories import BEKASI_BARAT, KRANJI, MARGAJAYA, staff_user
from tests.web.helpers import png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_storage")]


def _errors(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def _nothing_kept():
    assert not HouseholdImport.objects.exists()


@pytest.fixture
def clerk(client):
    client.force_login(staff_user(KRANJI))


def _rows(*columns_left_out):
    columns = [c for c in ["no_kk", "nik", "nama_lengkap", "tanggal_lahir", "jenis_kelamin", "hubungan", "alamat",
                           "rt", "rw", "kelurahan", "no_hp", "email"] if c not in columns_left_out]
    return lines_of(rows_of(household()), columns=columns)


@pytest.mark.usefixtures("clerk")
def test_it_refuses_an_empty_file(client, django_capture_on_commit_callbacks):
    response = upload(client, django_capture_on_commit_callbacks, b"", filename="rw02.csv")

    assert _errors(response, "file") == ["Berkas kosong."]
    _nothing_kept()


@pytest.mark.usefixtures("clerk")
def test_it_refuses_a_file_of_another_type(client, django_capture_on_commit_callbacks):
    response = upload(client, django_capture_on_commit_callbacks, png_bytes(), filename="foto.png")

    assert _errors(response, "file") == [
        "Unggah daftar sebagai file CSV atau XLSX (Excel: File > Save As > Excel Workbook atau CSV)."]
    _nothing_kept()


@pytest.mark.usefixtures("clerk")
def test_it_refuses_an_old_excel_file_and_a_file_that_is_no_table(client, django_capture_on_commit_callbacks):
    old = upload(client, django_capture_on_commit_callbacks, b"\xd0\xcf\x11\xe0" + b"\x00" * 600, filename="rw.xlsx")
    broken = upload(client, django_capture_on_commit_callbacks, b"PK\x03\x04 not really a zip", filename="rw.xlsx")

    assert "xls" in _errors(old, "file")[0].lower()
    assert _errors(broken, "file") and "tidak dapat dibaca" in _errors(broken, "file")[0]
    _nothing_kept()


@pytest.mark.usefixtures("clerk")
def test_it_refuses_a_file_too_big_before_reading_it(client, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1024 * 1024)
    content = csv_bytes(_rows()) + b"\n" * (1024 * 1024)

    response = upload(client, django_capture_on_commit_callbacks, content)

    assert _errors(response, "file") == ["File lebih besar dari 1 MB: pisahkan per RW."]
    _nothing_kept()


@pytest.mark.usefixtures("clerk")
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_refuses_a_file_without_a_required_column_and_names_it(client, django_capture_on_commit_callbacks, kind):
    lines = _rows("nik")
    content = csv_bytes(lines) if kind == "csv" else xlsx_bytes({"Warga": lines})

    response = upload(client, django_capture_on_commit_callbacks, content, filename=f"rw02.{kind}")

    (message,) = _errors(response, "file")
    assert message.startswith("Kolom nik tidak ada") and "Nomor Induk Kependudukan" in message
    _nothing_kept()


@pytest.mark.usefixtures("clerk")
def test_it_asks_for_a_file(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url(), {})

    assert _errors(response, "file") == ["Bidang ini harus diisi."]
    _nothing_kept()


def test_it_asks_a_kecamatan_for_the_kelurahan_and_refuses_one_outside_its_area(client,
                                                                                django_capture_on_commit_callbacks):
    client.force_login(staff_user(BEKASI_BARAT))
    content = csv_bytes(_rows())

    missing = upload(client, django_capture_on_commit_callbacks, content)
    crafted = upload(client, django_capture_on_commit_callbacks, content, kelurahan=MARGAJAYA)

    assert _errors(missing, "kelurahan") == ["Bidang ini harus diisi."]
    assert _errors(crafted, "kelurahan")[0].startswith("Masukkan pilihan yang valid")
    _nothing_kept()
    chosen = upload(client, django_capture_on_commit_callbacks, content, kelurahan=KRANJI)
    assert chosen.status_code == 302 and HouseholdImport.objects.get().default_kelurahan.code == KRANJI


@pytest.mark.usefixtures("clerk")
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.text(min_size=0, max_size=300),
    content=st.one_of(st.binary(max_size=600), st.text(max_size=600).map(lambda text: text.encode())),
    fields=st.dictionaries(st.sampled_from(["kelurahan", "update_pending", "file", "csrfmiddlewaretoken"]),
                           st.text(max_size=40), max_size=4),
)
def test_it_never_fails_on_whatever_is_posted(client, django_capture_on_commit_callbacks, name, content, fields):
    post = dict(fields)
    if name.strip() and "\x00" not in name:
        post["file"] = SimpleUploadedFile(name.replace("/", "_"), content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url(), post)

    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.usefixtures("clerk")
def test_it_never_fails_on_a_raw_multipart_body(client):
    body = io.BytesIO(b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nno_kk\r\n--x")

    response = client.generic("POST", add_url(), body.getvalue(), content_type="multipart/form-data; boundary=x")

    assert response.status_code in (200, 400)
