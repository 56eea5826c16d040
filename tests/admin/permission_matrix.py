"""The written permission matrix (docs/permissions.md), read as data, and what
it takes to check it: one user per role, one record of every kind inside the
Kranji staff's area and, where records have an area, one outside it.

The document is the single source: test_permission_matrix.py walks every
cell of it, and fails when a page, file, action or endpoint exists that the
document does not list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"

# Column headings of the matrix, in order, and the role each stands for.
ROLES = ["kelurahan", "print office", "health office", "complaint desk", "auditor", "pimpinan", "hospital desk",
         "staff, no role", "visitor", "superuser"]
CAPABILITIES = {"view", "add", "change", "delete"}


@dataclass(frozen=True)
class Row:
    table: str  # "records", "pages", "actions" or "endpoints"
    what: str  # the first column, as written
    target: str  # the second column without its backticks
    cells: dict[str, str]  # role -> cell

    def __str__(self) -> str:
        return f"{self.table}: {self.target}"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_matrix(path: Path = DOC) -> list[Row]:
    """Every row of every matrix table in the document.

    A matrix table is one whose heading row is ``| <kind> | … | <the ROLES> |``
    with <kind> one of record, page, action, endpoint.
    """
    rows: list[Row] = []
    table = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            table = None
            continue
        cells = _cells(line)
        if table is None:
            kinds = {"record": "records", "page or file": "pages", "action": "actions", "endpoint": "endpoints"}
            if cells[0] in kinds and cells[2:] == ROLES:
                table = kinds[cells[0]]
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        target = re.fullmatch(r"`([^`]+)`", cells[1])
        assert target, f"the second column must be one `code span`: {line}"
        assert len(cells) == len(ROLES) + 2, f"a cell is missing or extra: {line}"
        rows.append(Row(table, cells[0], target.group(1), dict(zip(ROLES, cells[2:], strict=True))))
    return rows


def record_cell(cell: str) -> tuple[set[str], bool] | str:
    """``"view, change (area)"`` -> ({"view", "change"}, True); "—" -> (set(), False); "login" stays."""
    if cell == "login":
        return cell
    if cell == "—":
        return set(), False
    area = cell.endswith("(area)")
    found = {part.strip() for part in cell.removesuffix("(area)").split(",")}
    assert found <= CAPABILITIES, f"unknown capability in {cell!r}"
    return found, area


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, samples: dict, *, elsewhere: bool = False) -> str:
    """The URL with each ``{name}`` replaced by the id of that sample record
    (``name@elsewhere`` for the record outside the Kranji staff's area)."""
    def one(match):
        name = match.group(1)
        key = f"{name}@elsewhere" if elsewhere and f"{name}@elsewhere" in samples else name
        return str(samples[key])

    return PLACEHOLDER.sub(one, template)


def has_elsewhere(template: str, samples: dict) -> bool:
    return any(f"{name}@elsewhere" in samples for name in PLACEHOLDER.findall(template))
