"""The complaint desk as a Django group, kept in step with the code after each migrate."""

from kartusehat.roles import sync_groups

COMPLAINT_DESK = "Petugas Pengaduan"

ROLE_PERMISSIONS = {
    COMPLAINT_DESK: [
        "complaints.view_complaint",
        "complaints.change_complaint",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
