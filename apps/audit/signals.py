"""``recorded``: sent with the entries of every audited write, inside its transaction.

The audit service is the one place every write goes through, so what must follow any
write in the same transaction listens here instead of being called from each service
(the planning app keeps its stored conflicts up to date this way). A receiver gets
``entries`` (saved ``AuditEntry`` rows) and runs in the write's transaction: an error
it raises rolls the write back.
"""

from __future__ import annotations

from django.dispatch import Signal

recorded = Signal()
