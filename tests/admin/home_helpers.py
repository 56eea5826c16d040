"""Reading the admin home page as a person does: each figure's count and the
link behind it, each table's cells; and following a link to the list."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser


class _HomePage(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: dict[str, tuple[str, str]] = {}
        self.tables: dict[str, list[list[tuple[str, str]]]] = {}
        self.sections: list[str] = []
        self.notes: dict[str, str] = {}
        self._note: list[str] | None = None
        self._figure = self._table = None
        self._href = ""
        self._text: list[str] | None = None
        self._in_count = False
        self._row: list | None = None
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("work-"):
            self.sections.append(attrs["id"][len("work-"):])
        if "data-figure" in attrs:
            self._figure = attrs["data-figure"]
        if "data-table" in attrs:
            self._table = attrs["data-table"]
            self.tables[self._table] = []
        if self._figure and "work-count" in (attrs.get("class") or ""):
            self._in_count, self._text, self._href = True, [], attrs.get("href", "")
        if self._figure and "work-note" in (attrs.get("class") or ""):
            self._note = []
        if self._table and tag == "tr":
            self._row = []
        if self._row is not None and tag == "td":
            self._cell, self._href = [], ""
        if self._cell is not None and tag == "a":
            self._href = attrs.get("href", "")

    def handle_data(self, data):
        if self._in_count:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._note is not None:
            self._note.append(data)

    def handle_endtag(self, tag):
        if self._in_count and tag in ("a", "span"):
            self.figures[self._figure] = ("".join(self._text).strip(), unescape(self._href))
            self._in_count, self._last = False, self._figure
        if self._note is not None and tag == "span":
            self.notes[self._figure] = "".join(self._note).strip()
            self._note = None
        if tag == "div" and self._figure and not self._in_count:
            self._figure = None
        if self._cell is not None and tag == "td":
            self._row.append((" ".join("".join(self._cell).split()), unescape(self._href)))
            self._cell = None
        if self._row is not None and tag == "tr":
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None


def home_page(client) -> _HomePage:
    response = client.get("/admin/")
    assert response.status_code == 200
    page = _HomePage()
    page.feed(response.content.decode())
    return page


def count(page: _HomePage, key: str) -> int:
    return int(re.sub(r"\D", "", page.figures[key][0]))


def listed(client, url: str) -> set[int]:
    """The ids of the rows the admin list at ``url`` shows (one page is enough here)."""
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    assert changelist.result_count < changelist.list_per_page
    return {obj.pk for obj in changelist.result_list}
