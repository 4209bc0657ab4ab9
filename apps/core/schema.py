"""OpenAPI: every operation documents the error responses it can give.

The ``Error`` component is the one JSON shape of ``apps.core.errors``; this schema class
adds it under the status codes an operation can answer, so integrators read the errors
in the schema rather than discovering them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class WaiverSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    by = serializers.CharField(help_text="Who waived it (e-mail).")
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class ConflictSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["hard", "soft"])
    rule = serializers.CharField(help_text="Code of the rule in the catalog, e.g. min_rest.")
    message = serializers.CharField(
        help_text="In the reader's language, with names and local times."
    )
    details = serializers.DictField(help_text="Rule-specific facts (ids, minutes, limits).")
    waived = WaiverSerializer(
        required=False,
        help_text="An admin waived this hard conflict: it no longer blocks publication.",
    )
    waiver_voided = WaiverSerializer(
        required=False,
        help_text="A waiver was given, but the conflict changed since: it no longer holds.",
    )


class ErrorBodySerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages (validation errors, ids not found in a body).",
    )
    conflicts = ConflictSerializer(many=True, required=False)
    request_id = serializers.CharField(allow_null=True)


@extend_schema_serializer(
    component_name="Error",
    examples=[
        OpenApiExample(
            "Validation error",
            value={
                "error": {
                    "status": 400,
                    "code": "invalid",
                    "message": "end_at: must be after start_at.",
                    "fields": {"end_at": ["must be after start_at."]},
                    "request_id": "9f1c2a4e",
                }
            },
            response_only=True,
        ),
        OpenApiExample(
            "Hard conflict",
            value={
                "error": {
                    "status": 409,
                    "code": "hard_conflict",
                    "message": "The change breaks a hard planning rule.",
                    "conflicts": [
                        {
                            "type": "hard",
                            "rule": "double_booking",
                            "message": "Already booked 18:00-23:00 on another shift.",
                            "details": {"other_shift": "5b0c..."},
                        }
                    ],
                    "request_id": "9f1c2a4e",
                }
            },
            response_only=True,
        ),
    ],
)
class ErrorSerializer(serializers.Serializer[Any]):
    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `fields` names each bad field.",
    "401": "Missing, expired or invalid credentials.",
    "403": "Your role does not allow this action.",
    "404": "No such object in your organization.",
    "409": "Conflicts with the current state (hard rule, uniqueness, transition).",
    "412": "`If-Match` names a version that is no longer current; `current_etag` gives it.",
    "413": "The request body is larger than the documented limit (DATA_UPLOAD_MAX_MEMORY_SIZE, "
    "2.5 MiB by default); code `payload_too_large`.",
    "429": "Throttled; see Retry-After.",
    "503": "A dependency (the database) is unavailable; code `service_unavailable`, "
    "retry after the seconds in Retry-After.",
}


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` of the version you edited (every single-object answer carries one): the "
        "write is refused with 412 if someone changed the row since. Optional."
    ),
)


class AutoSchema(SpectacularAutoSchema):
    def _error_codes(self) -> list[str]:
        method = self.method.upper()
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = ["400"] if method in {"POST", "PUT", "PATCH"} or self._has_query_filters() else []
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or method in {"POST", "PUT", "PATCH"}:
            codes.append("404")
        if method in {"POST", "PUT", "PATCH", "DELETE"} and not public:
            codes.append("409")
        if method in {"PUT", "PATCH", "DELETE"} and not public and "{" in self.path:
            codes.append("412")
        if method in {"POST", "PUT", "PATCH"}:
            codes.append("413")
        if getattr(self.view, "throttle_classes", None) or getattr(
            self.view, "throttle_scope", None
        ):
            codes.append("429")
        codes.append("503")
        return codes

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self.method.upper() in {"PUT", "PATCH", "DELETE"} and "412" in self._error_codes():
            parameters.append(IF_MATCH)
        return parameters

    def _has_query_filters(self) -> bool:
        return bool(
            getattr(self.view, "filterset_class", None)
            or getattr(self.view, "filterset_fields", None)
        )

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
