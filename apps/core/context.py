"""Per-request context (request id, trace id) readable from anywhere without passing it.

The middleware sets it; the JSON log filter and the audit service read it, so an audit
entry carries the id of the request that wrote it.
"""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
trace_id_var: ContextVar[str | None] = ContextVar("trace_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def current_trace_id() -> str | None:
    return trace_id_var.get()
