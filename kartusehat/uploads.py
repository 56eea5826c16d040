"""Checking uploaded scans and letters: PDF, JPEG or PNG, by content.

A file's name and the type the browser claims are only claims: the first
bytes decide what it is, and images must actually decode. Used for the KK and
e-KTP scans of a registration and for hospitals' letters.
"""

from __future__ import annotations

import hashlib
import os
import warnings
import zlib
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from .refusals import Invalid

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
_CLAIMED_BY_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".png": PNG}
_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
# A phone photo of a KK is 12-50 megapixels (a 50 MP camera's full-size
# mode is 8160×6120), a 600-dpi scan of it ~39; nothing real is larger.
MAX_PIXELS = 50_000_000
MAX_SIDE = 12_000
# See _jpeg_decodes: the least a JPEG of a given size can be.
JPEG_MAX_PIXELS_PER_BYTE = 512


class UploadInvalid(Invalid):
    """The file cannot be accepted; the message says why, for the person who sent it
    (callers put it on the field that carried the file)."""


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    extension: str


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is (None: none of the accepted kinds)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def claimed_type(upload) -> str | None:
    """The type the sender claims, by extension (or, without one, by the browser's header)."""
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if extension:
        return _CLAIMED_BY_EXTENSION.get(extension, "other")
    header = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    return {PDF: PDF, JPEG: JPEG, "image/jpg": JPEG, PNG: PNG}.get(header, "other")


def check_upload(upload, *, max_bytes: int | None = None) -> CheckedUpload:
    """Accept a PDF, JPEG or PNG of at most ``max_bytes`` whose content is what it claims."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise UploadInvalid(_("The file is empty. Choose the scan or photo again."))
    if size > max_bytes:
        raise UploadInvalid(
            _("The file is %(size)s; the largest accepted is %(max)s. Scan at a lower resolution or send a photo.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )
    claimed = claimed_type(upload)
    if claimed not in _NAMES:
        raise UploadInvalid(_("Only PDF, JPEG or PNG files are accepted."))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    actual = sniff(data[:16])
    if actual != claimed:
        raise UploadInvalid(
            _("The file's content is not a %(claimed)s, as its name says. Send a real PDF, JPEG or PNG file.")
            % {"claimed": _NAMES[claimed]}
        )
    if not _readable(actual, data):
        raise UploadInvalid(_("The file is damaged or incomplete and cannot be opened. Scan it again."))
    return CheckedUpload(actual, len(data), hashlib.sha256(data).hexdigest(), EXTENSIONS[actual])


def _readable(content_type: str, data: bytes) -> bool:
    if content_type == PDF:
        # A complete PDF ends with %%EOF (possibly followed by whitespace).
        return b"%%EOF" in data[-1024:]
    try:
        with warnings.catch_warnings():
            # A few hundred KB can claim a gigapixel image (a decompression
            # bomb): refuse it from its header, before decoding a single pixel.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    return False
                if content_type == JPEG:
                    return _jpeg_decodes(image, len(data))
                image.verify()  # every chunk's checksum, up to IEND
        return _png_pixels_complete(data)
    except Exception:  # noqa: BLE001 - any decoder failure means unreadable
        return False


def _jpeg_decodes(image, size: int) -> bool:
    # libjpeg fills a stream that ends early with grey and only warns, so a
    # few hundred bytes claiming 12000×5000 would "decode". Every 8×8 block
    # of a JPEG codes at least one bit (its DC value, even in a progressive
    # scan whose EOB runs cover the rest): fewer bytes than pixels / 512
    # cannot hold the image the header claims.
    if size * JPEG_MAX_PIXELS_PER_BYTE < image.width * image.height:
        return False
    # Decoded at 1/8 scale (libjpeg's DCT scaling): every coefficient is still
    # read, but the pixels take 1/64 of the memory and far less time.
    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()
    return True


_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_PIECE = 1 << 20


def _png_rows(data: bytes) -> list[int]:
    """The byte length of each scanline the header promises (interlaced: pass by pass)."""
    width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    depth, colour, interlace = data[24], data[25], data[28]
    bits = depth * _PNG_CHANNELS[colour]
    if not interlace:
        return [(width * bits + 7) // 8] * height
    rows = []
    for x0, y0, dx, dy in _ADAM7:
        pass_width, pass_height = max(0, -(-(width - x0) // dx)), max(0, -(-(height - y0) // dy))
        if pass_width:
            rows += [(pass_width * bits + 7) // 8] * pass_height
    return rows


def _png_pixels_complete(data: bytes) -> bool:
    """Inflate the image data a piece at a time and check that it holds every
    scanline the header promises, each with a valid filter byte: what decoding
    proves, in constant memory (a decoded 50-megapixel RGBA image is 200 MB)."""
    rows = iter(_png_rows(data))
    row, next_row, produced, inflater = next(rows, None), 0, 0, zlib.decompressobj()
    position = 8
    while position + 8 <= len(data):
        length, kind = int.from_bytes(data[position:position + 4]), data[position + 4:position + 8]
        body = memoryview(data)[position + 8:position + 8 + length]
        position += 12 + length
        if kind != b"IDAT":
            continue
        while body:
            piece = inflater.decompress(body, _INFLATE_PIECE)
            body = inflater.unconsumed_tail
            while row is not None and next_row < produced + len(piece):
                if piece[next_row - produced] > 4:  # a scanline's filter type is 0-4
                    return False
                next_row, row = next_row + 1 + row, next(rows, None)
            produced += len(piece)
            if row is None and next_row <= produced:
                return True  # every scanline is there; nothing after it is ever read
            if not piece:
                break
    return False
