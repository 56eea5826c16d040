"""The mayor's office ("pimpinan") as a Django group: the city's figures and
nothing personal. Kept in step after each migrate."""

from kartusehat.roles import sync_groups

PIMPINAN = "Pimpinan"

ROLE_PERMISSIONS = {
    # Aggregates only: no record page, no list of households, no file.
    PIMPINAN: ["figures.view_figures",
               # The mayor's monthly report (counts only): read, make on demand, download.
               "figures.view_monthlyreport", "figures.add_monthlyreport", "figures.download_monthlyreport"],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
