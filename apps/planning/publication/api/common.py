"""What the publication views share: tags, documented errors, file answers, query input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
)
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from apps.core.api import TenantAPIView
from apps.core.schema import ErrorSerializer

INVITATION_TAG = "planning: invitations"
PUBLICATION_TAG = "planning: publication"
REPORT_TAG = "planning: reports"
CALENDAR_TAG = "planning: calendar"

TOKEN_PARAMETER = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description="The signed token from the invitation e-mail.",
)
ERROR_409 = OpenApiResponse(
    ErrorSerializer,
    description="`already_answered`, `revoked`, or `hard_conflict` (with `conflicts`).",
)
ERROR_400 = OpenApiResponse(ErrorSerializer, description="A bad query parameter, named.")
ERROR_404 = OpenApiResponse(
    ErrorSerializer, description="No such object here (also for a foreign id in the query)."
)
ERROR_410 = OpenApiResponse(ErrorSerializer, description="`expired`: the link has expired.")


class PassThroughNegotiation(BaseContentNegotiation):
    """Always the first renderer: file endpoints answer their own media type on success
    and JSON errors, whatever ``Accept`` a calendar client or a browser sends."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, str(renderer.media_type)


def file_response(body: bytes, content_type: str, filename: str | None = None) -> HttpResponse:
    """A file answer bypassing DRF's renderers; private data, so never cached on the way."""
    response = HttpResponse(body, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def validated_query(
    serializer_class: type[serializers.Serializer[Any]], view: TenantAPIView
) -> dict[str, Any]:
    """Query-string input validated like a body: 400 naming the parameter, 404 for foreign ids.

    A plain dict, not the ``QueryDict``: DRF reads an empty form value of an optional field
    as "not given", so ``?to=`` would be silently ignored where it is a malformed date.
    """
    serializer = serializer_class(
        data=view.request.query_params.dict(), context=view.get_serializer_context()
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


DATE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First local day (included)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last local day (included)."),
]
