"""What every registrations admin page is built from."""

from simple_history.admin import SimpleHistoryAdmin

from kartusehat.admin import (
    AreaScopedMixin,
    AuditedReadsMixin,
    HistoryMixin,
    IndexedSearchMixin,
    LargeListMixin,
    NoAddDeleteMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
)


class StaffAdmin(NoAddDeleteMixin, AreaScopedMixin, IndexedSearchMixin, LargeListMixin, AuditedReadsMixin,
                 HistoryMixin, ServiceActionsMixin, RobustChangelistMixin, SimpleHistoryAdmin):
    """Registrations, households and members: scoped, searched through the
    indexes, counted by estimate at city size, audited, history kept."""
