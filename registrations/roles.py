"""The kelurahan's staff and the auditor as Django groups, kept in step with the
code after each migrate. Who may do what, page by page: docs/permissions.md."""

from kartusehat.roles import sync_groups

KELURAHAN_STAFF = "Petugas Kelurahan"
AUDITOR = "Auditor"

ROLE_PERMISSIONS = {
    KELURAHAN_STAFF: [
        "registrations.view_registration",
        # A family registered at the desk: the walk-in form and its receipt.
        "registrations.add_registration",
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
        # Data-subject access: everything held about a person of the area, in one file.
        "registrations.export_personal_data",
        # Household lists from the RWs: upload, check, confirm, follow, resume.
        "registrations.add_householdimport", "registrations.view_householdimport",
        # The number of KK per kelurahan: read in the area; kept (typed or imported)
        # only by staff whose area is the whole city, the population office
        # (registrations/admin/household_totals.py).
        "registrations.view_kelurahanhouseholdtotal", "registrations.add_kelurahanhouseholdtotal",
        "registrations.change_kelurahanhouseholdtotal",
        # The area's figures (counts only): GET /api/v1/stats/… (figures/api.py).
        "figures.view_figures",
        # The mayor's monthly report: the city's document, so only a user whose area is
        # the whole city (the population office) sees, makes or takes it (figures/admin.py).
        "figures.view_monthlyreport", "figures.add_monthlyreport", "figures.download_monthlyreport",
    ],
    # Reads every record and the logs of who read what, and changes nothing. It
    # lives here, beside the access log, and names every app's permissions as
    # strings (synced once all apps have migrated). On purpose without files:
    # scans (view_registrationdocument), hospital letters (view_emergencyrequest;
    # the coverage-check audit shows each request), card PDFs (view_batch), and
    # the staff's API tokens (authtoken) are left out; manifests need sending or
    # receiving a dispatch as well.
    AUDITOR: [
        "registrations.view_registration", "registrations.view_registrationmember",
        "registrations.view_registrationevent", "registrations.view_household", "registrations.view_member",
        "registrations.view_region", "registrations.view_accesslog", "registrations.view_retentionpurge",
        "registrations.view_householdimport", "registrations.view_kelurahanhouseholdtotal",
        "registrations.view_staffarea",
        "auth.view_user", "auth.view_group",
        "axes.view_accessattempt", "axes.view_accesslog", "axes.view_accessfailurelog",
        "cards.view_card", "cards.view_cardevent", "cards.view_dispatch", "cards.view_pickupcard",
        "cards.view_notification", "cards.view_lot", "cards.view_stock", "cards.view_ledgerentry",
        "cards.view_servicemode",
        "hospitals.view_facility", "hospitals.view_agreement", "hospitals.view_hospitalstaff",
        "hospitals.view_apitoken", "hospitals.view_verificationlog",
        "complaints.view_complaint",
        "figures.view_figures", "figures.view_monthlyreport",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
