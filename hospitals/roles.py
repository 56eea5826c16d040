"""The health office (Dinas Kesehatan) and hospital users as Django groups,
kept in step with the code after each migrate."""

from kartusehat.roles import sync_groups

HEALTH_OFFICE = "Petugas Dinas Kesehatan"
HOSPITAL_STAFF = "Petugas Fasilitas Kesehatan"

ROLE_PERMISSIONS = {
    HEALTH_OFFICE: [
        "hospitals.view_facility", "hospitals.add_facility", "hospitals.change_facility",
        "hospitals.view_agreement", "hospitals.add_agreement", "hospitals.change_agreement",
        "hospitals.view_hospitalstaff", "hospitals.add_hospitalstaff", "hospitals.change_hospitalstaff",
        "hospitals.view_apitoken", "hospitals.add_apitoken", "hospitals.change_apitoken",
        "hospitals.view_verificationlog",
        "hospitals.view_emergencyrequest",
    ],
    # Desk pages and the hospital API only; hospital users are not admin staff.
    HOSPITAL_STAFF: [
        "hospitals.verify_coverage",
        "hospitals.request_emergency",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
