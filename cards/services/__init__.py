"""Writes for cards (HackSoft style: views, admin actions and tasks call these),
by sub-domain:

- ``stock``: blanko lots, adjustments, spoiled blanks, the emergency reserve,
  the forced service mode;
- ``queue``: print requests, emergencies, cancelling, misprints, revoking and
  reprints (also when a household's data changes);
- ``batches``: claim under a lease, progress (renewing it), complete, fail,
  release, the sweeper, retry and cancel;
- ``distribution``: dispatches, receipt, RW handovers, collection,
  deadlines, returns;
- ``outbox``: messages to households, sent once, retried;
- ``reports``: the daily report of cards waiting too long.

Every refusal is a ``kartusehat.refusals.Refused``. The public names are
here; reads are in ``cards.selectors``.
"""

from .batches import (
    MAX_BATCH,
    batch_cancel,
    batch_claim,
    batch_complete,
    batch_create,
    batch_fail,
    batch_progress,
    batch_release,
    batch_retry,
    batches_recover,
)
from .distribution import (
    MAX_EXTENSION_DAYS,
    card_collect,
    card_extend_deadline,
    card_return,
    default_pickup_place,
    dispatch_create,
    dispatch_create_all,
    dispatch_hand_over,
    dispatch_receive,
)
from .outbox import MAX_ATTEMPTS, SENDING_TIMEOUT, message_key, notification_send, notifications_retry
from .queue import (
    REPRINT_REASONS,
    card_cancel,
    card_data_changed,
    card_raise_to_emergency,
    card_reprint,
    card_request,
    card_revoke,
    card_spoil,
)
from .reports import DISPATCH_CONFIRM_DAYS, pickup_overdue_report
from .stock import mode_force, stock_adjust, stock_receive, stock_set_emergency_reserve, stock_spoil_blanks

__all__ = [
    "DISPATCH_CONFIRM_DAYS", "MAX_ATTEMPTS", "MAX_BATCH", "MAX_EXTENSION_DAYS", "REPRINT_REASONS", "SENDING_TIMEOUT",
    "batch_cancel", "batch_claim", "batch_complete", "batch_create", "batch_fail", "batch_progress",
    "batch_release", "batch_retry", "batches_recover",
    "card_cancel", "card_collect", "card_data_changed", "card_extend_deadline", "card_raise_to_emergency",
    "card_reprint", "card_request", "card_return", "card_revoke", "card_spoil",
    "default_pickup_place", "dispatch_create", "dispatch_create_all", "dispatch_hand_over", "dispatch_receive",
    "message_key", "mode_force", "notification_send", "notifications_retry", "pickup_overdue_report",
    "stock_adjust", "stock_receive", "stock_set_emergency_reserve", "stock_spoil_blanks",
]
