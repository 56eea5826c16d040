"""The kelurahan's staff as a Django group, kept in step with the code after each migrate."""

from kartusehat.roles import sync_groups

KELURAHAN_STAFF = "Petugas Kelurahan"

ROLE_PERMISSIONS = {
    KELURAHAN_STAFF: [
        "registrations.view_registration",
        "registrations.verify_registration",
        "registrations.view_registrationmember",
        "registrations.view_registrationevent",
        "registrations.view_registrationdocument",
        "registrations.view_household",
        "registrations.change_household",
        "registrations.view_member",
        "registrations.change_member",
        "registrations.view_region",
        # Cards arriving at the kelurahan: receipt, pickup, deadlines, reprints.
        "cards.view_dispatch", "cards.receive_dispatch",
        "cards.view_pickupcard", "cards.collect_card", "cards.manage_pickup", "cards.reprint_card",
        "cards.view_cardevent",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
