"""The print office (Dinas Kependudukan) as a Django group, kept in step after each migrate."""

from kartusehat.roles import sync_groups

PRINT_OFFICE = "Operator Cetak Disdukcapil"

ROLE_PERMISSIONS = {
    PRINT_OFFICE: [
        "cards.view_stock", "cards.change_stock",
        "cards.view_lot", "cards.add_lot",
        "cards.view_ledgerentry", "cards.add_ledgerentry",
        "cards.view_servicemode", "cards.change_servicemode",
        "cards.view_card", "cards.change_card",
        "cards.view_batch", "cards.add_batch",
        "cards.view_dispatch", "cards.add_dispatch", "cards.reprint_card", "cards.view_cardevent",
        "cards.view_notification",
        # Each emergency card with the hospital's letter.
        "hospitals.view_emergencyrequest",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
