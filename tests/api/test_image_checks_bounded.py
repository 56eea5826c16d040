"""An image is checked from its header before any pixel is decoded, and the
check itself costs little: a few hundred bytes that claim a huge picture are
refused, and a large but legal PNG is checked without holding its pixels."""

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kartusehat.uploads import MAX_PIXELS, UploadInvalid, check_upload

ROOT = Path(__file__).resolve().parents[2]


def _jpeg_claiming(width: int, height: int) -> bytes:
    # A real 8×8 JPEG whose frame header is edited to claim width×height:
    # libjpeg pads the missing data with grey and only warns.
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, frame + 5, height, width)
    return bytes(data)


def _png(width: int, height: int, *, interlace: int = 0, drop_rows: int = 0, filter_type: int = 1) -> bytes:
    """A truecolour PNG written by hand (Pillow writes no interlaced PNG)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    sizes = [(width, height)] if not interlace else [
        (-(-(width - x) // dx), -(-(height - y) // dy)) for x, y, dx, dy in passes if width > x and height > y
    ]
    rows = [3 * w for w, h in sizes for _ in range(h)]
    raw = b"".join(bytes([filter_type]) + bytes(range(256)) * (row // 256) + bytes(row % 256)
                   for row in rows[:len(rows) - drop_rows])
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _check(name: str, data: bytes):
    return check_upload(SimpleUploadedFile(name, data))


def test_it_refuses_a_few_hundred_bytes_of_jpeg_claiming_12000_by_5000():
    data = _jpeg_claiming(12_000, 5_000)
    assert len(data) < 1_000

    with pytest.raises(UploadInvalid):
        _check("kk.jpg", data)


def test_it_refuses_a_tiny_jpeg_claiming_a_phone_photos_size():
    with pytest.raises(UploadInvalid):
        _check("kk.jpg", _jpeg_claiming(4_000, 3_000))


def test_it_accepts_a_real_jpeg_photo():
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((1600, 1200)).convert("RGB").save(buffer, format="JPEG", quality=85)

    assert _check("kk.jpg", buffer.getvalue()).content_type == "image/jpeg"


def test_it_refuses_an_image_just_over_the_pixel_cap_from_its_header():
    # 11999×5000 is what a bomb can claim in 233 KB; it is over the cap.
    assert 11_999 * 5_000 > MAX_PIXELS
    buffer = io.BytesIO()
    Image.new("1", (11_999, 5_000)).save(buffer, format="PNG")

    with pytest.raises(UploadInvalid):
        _check("kk.png", buffer.getvalue())


@pytest.mark.parametrize("interlace", [0, 1])
def test_it_accepts_a_complete_png_plain_or_interlaced(interlace):
    data = _png(37, 29, interlace=interlace)
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # Pillow decodes it: a valid file

    assert _check("kk.png", data).content_type == "image/png"


@pytest.mark.parametrize("interlace", [0, 1])
def test_it_refuses_a_png_missing_its_last_scanline(interlace):
    with pytest.raises(UploadInvalid):
        _check("kk.png", _png(37, 29, interlace=interlace, drop_rows=1))


def test_it_refuses_a_png_with_an_unknown_scanline_filter():
    with pytest.raises(UploadInvalid):
        _check("kk.png", _png(37, 29, filter_type=7))


# The peak resident memory of this process (VmHWM, in kB; unlike ru_maxrss,
# not inherited from the parent that forked it).
MEASURE = """
import sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from kartusehat.uploads import check_upload
def peak():
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
data = open(sys.argv[1], "rb").read()
before = peak()
check_upload(SimpleUploadedFile("kk.png", data), max_bytes=len(data))
print((peak() - before) // 1024)
"""


def test_it_checks_a_large_legal_png_without_holding_its_pixels(tmp_path):
    # 7000×7000 RGB is 49 MP, under the cap: decoded, 147 MB of pixels.
    path = tmp_path / "big.png"
    path.write_bytes(_png(7_000, 7_000))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kartusehat.settings_test"}

    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 40, f"the check grew the process by {done.stdout.strip()} MB"
