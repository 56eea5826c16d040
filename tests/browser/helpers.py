"""Filling the citizen pages the way a person on a phone does."""

from __future__ import annotations

# A common Android phone: 390 x 844 CSS pixels, touch, Indonesian locale.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
HOUSEHOLD_INPUTS = ("kk_number", "address", "rt", "rw", "phone", "email")


def fill_household(page, data: dict) -> None:
    """Consent, KK number, kelurahan and contact details (step 1 and 2)."""
    page.check("#consent")
    for field in HOUSEHOLD_INPUTS:
        if data.get(field):
            page.fill(f"#{field}", data[field])
    page.select_option("#kelurahan_code", data["kelurahan_code"])


def fill_member(page, number: int, member: dict) -> None:
    """Fills the member row shown as ``number`` (1 is the first row)."""
    row = page.locator("[data-member]").nth(number - 1)
    row.locator("input[name$='-nik']").fill(member["nik"])
    row.locator("input[name$='-full_name']").fill(member["full_name"])
    row.locator("input[name$='-birth_date']").fill(member["birth_date"])  # type=date takes YYYY-MM-DD
    row.locator("select[name$='-sex']").select_option(member["sex"])
    row.locator("select[name$='-relationship']").select_option(member["relationship"])


def add_member_row(page) -> None:
    """Taps "add a member"; JavaScript appends a row without a round trip."""
    rows = page.locator("[data-member]")
    before = rows.count()
    page.tap("[data-add-member]")
    assert rows.count() == before + 1, "the 'add a member' button did not add a row in the page"


def send_registration(page) -> None:
    with page.expect_navigation():
        # The visible "send" button at the end, not the hidden one at the top
        # of the form that only makes Enter send.
        page.tap("#register-form button[name=submit]:not([aria-hidden=true])")


def check_status(page, *, reference: str, nik: str) -> None:
    page.goto("/status/")
    page.fill("#reference", reference)
    page.fill("#nik", nik)
    with page.expect_navigation():
        page.tap("form.lookup button[type=submit]")
