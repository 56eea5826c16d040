"""Helpers for the server-rendered citizen pages: form data and HTML reading."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

REGISTER_URL = "/daftar/"
DONE_URL = "/daftar/selesai/"
STATUS_URL = "/status/"

HOUSEHOLD_FIELDS = ("kk_number", "kelurahan_code", "address", "rt", "rw", "phone", "email")
MEMBER_FIELDS = ("nik", "full_name", "birth_date", "sex", "relationship")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def form_data(data: dict, *, indexes: list[int] | None = None, consent: bool = True) -> dict:
    """``tests.factories.registration_data()`` as the registration form posts it."""
    post = {field: data.get(field, "") for field in HOUSEHOLD_FIELDS}
    if consent:
        post["consent"] = "on"
    indexes = indexes or list(range(len(data["members"])))
    for index, member in zip(indexes, data["members"], strict=True):
        for field in MEMBER_FIELDS:
            post[f"members-{index}-{field}"] = member[field]
    post["submit"] = "1"
    return post


def png_bytes(size: int = 24) -> bytes:
    """A real PNG that Pillow made (so it decodes)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "kk.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else png_bytes(), content_type="image/png")


class _Elements(HTMLParser):
    """Start tags by id, and the outer HTML of each element that has an id."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags: dict[str, tuple[str, dict]] = {}
        self.outer: dict[str, str] = {}
        self._open: list[tuple[str, str | None, int]] = []  # (tag, id, start offset)
        self._html = ""

    def feed_html(self, html: str):
        self._html = html
        self._lines = [0]
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self.feed(html)
        self.close()
        return self

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id and element_id not in self.tags:
            self.tags[element_id] = (tag, attributes)
        start = self._offset()
        if tag in VOID:
            if element_id and element_id not in self.outer:
                self.outer[element_id] = self._html[start:start + len(self.get_starttag_text())]
            return
        self._open.append((tag, element_id, start))

    def handle_endtag(self, tag):
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position][0] == tag:
                _tag, element_id, start = self._open[position]
                del self._open[position:]
                if element_id and element_id not in self.outer:
                    end = self._offset() + len(f"</{tag}>")
                    self.outer[element_id] = self._html[start:end]
                return


def parse(html: str | bytes) -> _Elements:
    if isinstance(html, bytes):
        html = html.decode()
    return _Elements().feed_html(html)


def element(html: str | bytes, element_id: str) -> str:
    """Outer HTML of the element with this id (KeyError if there is none)."""
    return parse(html).outer[element_id]


def attributes(html: str | bytes, element_id: str) -> dict:
    """Attributes of the element with this id."""
    return parse(html).tags[element_id][1]


def text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and whitespace collapsed."""
    import html as html_module
    import re

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
