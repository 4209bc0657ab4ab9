"""Adds ``request_id`` and ``trace_id`` to every log record."""

import logging

from apps.core.context import current_request_id, current_trace_id


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        record.trace_id = current_trace_id()
        return True
