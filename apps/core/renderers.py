"""JSON as every API answer says it, encoded by ``orjson``.

DRF's ``JSONRenderer`` runs ``json.dumps`` in Python: some 0.7 ms for a page of 50 artists,
as much as the rest of a cached answer. ``render_json`` gives the same text (compact,
UTF-8, ``U+2028``/``U+2029`` escaped as DRF escapes them) ten times faster; what ``orjson``
does not encode itself (datetimes, decimals, lazy translations, querysets) goes through
DRF's own encoder, so those read exactly as before. The cached lists
(``apps.core.revisions.CachedListMixin``) keep their answer rendered by it, so a hit
neither unpickles nor encodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF = JSONEncoder()
# Datetimes through DRF's encoder (milliseconds, "Z" for UTC), not orjson's own format.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
# JavaScript's line terminators, escaped as DRF escapes them (valid JSON either way).
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def render_json(data: Any) -> bytes:
    """``data`` as DRF's ``JSONRenderer`` renders it (compact), through ``orjson``."""
    try:
        body = orjson.dumps(data, default=_DRF.default, option=_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):  # an integer beyond 64 bits, say
        return JSONRenderer().render(data)
    for raw, escaped in _LINE_SEPARATORS:
        if raw in body:
            body = body.replace(raw, escaped)
    return body


class Rendered:
    """An answer already rendered by ``render_json`` (a cached list): sent as it is."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body


class FastJSONRenderer(JSONRenderer):
    """``JSONRenderer`` through ``render_json``; an indented answer (``; indent=``) as DRF
    renders it."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        indented = self.get_indent(accepted_media_type or "", dict(renderer_context or {}))
        if isinstance(data, Rendered):
            if not indented:
                return data.body
            data = orjson.loads(data.body)
        if indented:
            return super().render(data, accepted_media_type, renderer_context)
        return render_json(data)
