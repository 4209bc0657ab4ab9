"""Per-request context (request id, trace id, undo) readable from anywhere without passing it.

The middleware sets it; the JSON log filter and the audit service read it, so an audit
entry carries the id of the request that wrote it, and says when that request undid the
previous action (the board's "Annuler" toast sends ``X-Undo: true``).
"""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
trace_id_var: ContextVar[str | None] = ContextVar("trace_id", default=None)
undo_var: ContextVar[bool] = ContextVar("undo", default=False)


def current_request_id() -> str | None:
    return request_id_var.get()


def current_trace_id() -> str | None:
    return trace_id_var.get()


def current_is_undo() -> bool:
    return undo_var.get()
