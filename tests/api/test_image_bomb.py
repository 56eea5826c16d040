import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kartusehat.uploads import UploadInvalid, check_upload


def bomb_png(side: int) -> bytes:
    # A 1-bit image compresses to almost nothing but claims side×side pixels.
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_it_refuses_an_image_claiming_more_pixels_than_any_scan():
    data = bomb_png(13_000)
    assert len(data) < 1_000_000

    with pytest.raises(UploadInvalid):
        check_upload(SimpleUploadedFile("kk.png", data, content_type="image/png"))


def test_it_accepts_a_phone_sized_photo():
    buffer = io.BytesIO()
    Image.new("L", (3000, 4000), color=200).save(buffer, format="PNG")

    checked = check_upload(SimpleUploadedFile("kk.png", buffer.getvalue(), content_type="image/png"))

    assert checked.content_type == "image/png"
