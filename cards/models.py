"""Cards: blanko ledger, print queue, batches, rendering, distribution.

Empty until the print-queue issue (#4) lands; the app exists so the project
has its final shape and migrations can be added without reshuffling.
"""
