"""Multipart POST /api/v1/registrations/: a scan that is not what it claims,
not an accepted type, empty, too large or damaged is refused with 400 on
``kk_scan``; no row is written and no file is left in private storage."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.helpers import (
    REGISTRATIONS_URL,
    files_under,
    messages,
    pdf_bytes,
    png_bytes,
    post_multipart,
    refused,
    row_counts,
)
from tests.factories import registration_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _refused_scan(api, private_dir, upload, *, ektp=None) -> str:
    files = {"kk_scan": upload}
    if ektp is not None:
        files["ektp_scan"] = ektp
    errors = refused(post_multipart(api, registration_data(size=2), files, **EN))
    assert list(errors) == ["kk_scan"], errors
    assert files_under(private_dir) == [], "a refused registration must leave no file behind"
    return messages(errors, "kk_scan")


def test_it_refuses_a_png_that_is_really_text(api, private_dir):
    upload = SimpleUploadedFile("kk.png", b"this is not a picture of a KK\n" * 20, content_type="image/png")

    assert "not a PNG" in _refused_scan(api, private_dir, upload)


def test_it_refuses_a_pdf_that_is_really_a_png(api, private_dir):
    upload = SimpleUploadedFile("kk.pdf", png_bytes(), content_type="application/pdf")

    assert "not a PDF" in _refused_scan(api, private_dir, upload)


def test_it_refuses_a_jpeg_name_on_a_pdf(api, private_dir):
    upload = SimpleUploadedFile("kk.jpg", pdf_bytes(), content_type="image/jpeg")

    assert "not a JPEG" in _refused_scan(api, private_dir, upload)


@pytest.mark.parametrize("name", ["kk.exe", "kk.txt", "kk.png.exe", "kk.svg", "kk.html"])
def test_it_refuses_a_file_with_an_extension_it_does_not_accept(api, private_dir, name):
    upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    assert "Only PDF, JPEG or PNG" in _refused_scan(api, private_dir, upload)


def test_it_refuses_an_empty_file(api, private_dir):
    upload = SimpleUploadedFile("kk.png", b"", content_type="image/png")

    assert "empty" in _refused_scan(api, private_dir, upload)


def test_it_refuses_a_file_over_the_upload_limit(api, private_dir, settings):
    png = png_bytes(64)
    settings.UPLOAD_MAX_BYTES = len(png) - 1

    message = _refused_scan(api, private_dir, SimpleUploadedFile("kk.png", png, content_type="image/png"))

    assert "largest accepted" in message


def test_it_accepts_a_file_of_exactly_the_upload_limit(api, private_dir, settings):
    png = png_bytes(64)
    settings.UPLOAD_MAX_BYTES = len(png)

    response = post_multipart(api, registration_data(size=1), {"kk_scan": SimpleUploadedFile("kk.png", png)})

    assert response.status_code == 201, response.content
    assert len(files_under(private_dir)) == 1


def test_it_refuses_a_truncated_png(api, private_dir):
    png = png_bytes(64)
    upload = SimpleUploadedFile("kk.png", png[: len(png) // 2], content_type="image/png")

    assert "damaged or incomplete" in _refused_scan(api, private_dir, upload)


def test_it_refuses_a_pdf_without_its_end_marker(api, private_dir):
    pdf = pdf_bytes()
    upload = SimpleUploadedFile("kk.pdf", pdf[: pdf.rindex(b"%%EOF")], content_type="application/pdf")

    assert "damaged or incomplete" in _refused_scan(api, private_dir, upload)


def test_it_refuses_a_bad_kk_scan_even_beside_a_good_ektp_scan(api, private_dir):
    good = SimpleUploadedFile("ektp.pdf", pdf_bytes(), content_type="application/pdf")
    bad = SimpleUploadedFile("kk.png", b"plain text", content_type="image/png")

    _refused_scan(api, private_dir, bad, ektp=good)


def test_it_refuses_a_scan_sent_as_a_text_field(api, private_dir):
    errors = refused(post_multipart(api, registration_data(size=1), {"kk_scan": "kk.png"}, **EN))

    assert "file upload" in messages(errors, "kk_scan")
    assert files_under(private_dir) == []


def test_it_refuses_good_scans_when_the_household_is_refused_and_keeps_no_file(api, private_dir):
    data = registration_data(size=2, consent="false")
    files = {
        "kk_scan": SimpleUploadedFile("kk.png", png_bytes()),
        "ektp_scan": SimpleUploadedFile("ektp.pdf", pdf_bytes()),
    }

    errors = refused(post_multipart(api, data, files))

    assert list(errors) == ["consent"]
    assert files_under(private_dir) == []


def test_it_removes_stored_scans_when_the_kk_turns_out_to_be_taken(api, private_dir):
    first = registration_data(size=1)
    assert post_multipart(api, first, {"kk_scan": SimpleUploadedFile("kk.png", png_bytes(seed=8))}).status_code == 201
    kept = files_under(private_dir)
    before = row_counts()

    again = registration_data(size=1, kk_number=first["kk_number"])
    errors = refused(post_multipart(api, again, {"kk_scan": SimpleUploadedFile("kk.png", png_bytes(seed=9))}), before)

    assert list(errors) == ["kk_number"]
    assert files_under(private_dir) == kept


def test_it_refuses_members_that_are_not_json_in_multipart(api, private_dir):
    data = registration_data(size=1)
    form = {key: value for key, value in data.items() if key != "members"}
    form.update(consent="true", members="[{not json")

    errors = refused(api.post(REGISTRATIONS_URL, form, format="multipart", **EN))

    assert list(errors) == ["members"]
    assert files_under(private_dir) == []


def test_it_explains_a_refused_scan_in_bahasa_indonesia_by_default(api, private_dir):
    def message(**headers):
        files = {"kk_scan": SimpleUploadedFile("kk.exe", png_bytes())}
        return messages(refused(post_multipart(api, registration_data(size=1), files, **headers)), "kk_scan")

    assert message() != message(HTTP_ACCEPT_LANGUAGE="en")
