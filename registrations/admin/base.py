"""What every registrations admin page is built from."""

from simple_history.admin import SimpleHistoryAdmin

from kartusehat.admin import (
    AreaScopedMixin,
    AuditedReadsMixin,
    HistoryMixin,
    NoAddDeleteMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
)


class StaffAdmin(NoAddDeleteMixin, AreaScopedMixin, AuditedReadsMixin, HistoryMixin, ServiceActionsMixin,
                 RobustChangelistMixin, SimpleHistoryAdmin):
    """Registrations, households and members: scoped, audited, history kept."""
