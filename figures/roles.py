"""The mayor's office ("pimpinan") as a Django group: the city's figures and
nothing personal. Kept in step after each migrate."""

from kartusehat.roles import sync_groups

PIMPINAN = "Pimpinan"

ROLE_PERMISSIONS = {
    # Aggregates only: no record page, no list of households, no file.
    PIMPINAN: ["figures.view_figures"],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)
