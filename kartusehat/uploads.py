"""Checking uploaded scans and letters: PDF, JPEG or PNG, by content.

A file's name and the type the browser claims are only claims: the first
bytes decide what it is, and images must actually decode. Used for the KK and
e-KTP scans of a registration and for hospitals' letters.
"""

from __future__ import annotations

import hashlib
import os
import warnings
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
# A phone photo of a KK is ~12-50 megapixels; nothing real is larger.
MAX_PIXELS = 60_000_000
MAX_SIDE = 12_000


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
            # bomb): refuse it before decoding a single pixel.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    return False
                image.verify()
            with Image.open(BytesIO(data)) as image:
                # verify() does not decode pixels; a truncated image fails here.
                image.load()
    except Exception:  # noqa: BLE001 - any decoder failure means unreadable
        return False
    return True
