"""The API's JSON parser: a bounded body and a bounded nesting depth, checked before parsing.

Python's ``json`` recurses once per nesting level, so about a thousand ``[`` raise
``RecursionError`` (a 500) inside the decoder. ``BoundedJSONParser`` counts the nesting
of the raw text first (brackets inside strings do not count) and answers 400
``invalid_json`` past ``API_JSON_MAX_DEPTH``. It also reads at most
``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes: DRF streams a JSON body straight from the request,
so Django's own limit (which guards ``request.body`` and forms) never applies to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from apps.core.errors import PayloadTooLarge, ValidationFailed

# A JSON string, escapes included ("unrolled loop": linear, no backtracking).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def max_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", 32))


def check_json_depth(text: str, limit: int) -> None:
    """Raise 400 ``invalid_json`` when arrays/objects nest deeper than ``limit``."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            raise ValidationFailed(f"JSON nests deeper than {limit} levels.", code="invalid_json")


def read_bounded(stream: IO[bytes]) -> bytes:
    """The body, or 413 ``payload_too_large`` past ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge()
    return raw


class BoundedJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = read_bounded(stream).decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        check_json_depth(text, max_depth())
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:  # a depth limit configured above the interpreter's
            raise ValidationFailed("JSON nests too deeply.", code="invalid_json") from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
